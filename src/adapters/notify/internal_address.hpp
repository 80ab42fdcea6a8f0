// Which network addresses a webhook may not reach: a user-supplied URL must
// not become a way into the deployment's own network (server-side request
// forgery: the cloud metadata service at 169.254.169.254, a database on
// 10.x, the service itself on 127.0.0.1). Checked on the address a
// connection is about to use, after DNS, so a name that resolves (or
// re-resolves) to an internal address is caught as well.
#pragma once

#include <sys/socket.h>

namespace taskflow {

// True for loopback, private (RFC 1918, RFC 4193), shared (RFC 6598),
// link-local, "this network", multicast, broadcast and reserved addresses,
// in IPv4, IPv6 and IPv4-mapped IPv6 form; also for any other family.
bool IsInternalAddress(const sockaddr* address);

}  // namespace taskflow
