#include "adapters/notify/internal_address.hpp"

#include <netinet/in.h>

#include <cstdint>
#include <cstring>

namespace taskflow {
namespace {

struct Ipv4Range {
  std::uint32_t network;
  int prefix;
};

// IANA IPv4 special-purpose ranges that are not globally reachable.
constexpr Ipv4Range kInternalIpv4[] = {
    {0x00000000, 8},   // 0.0.0.0/8 "this network"
    {0x0A000000, 8},   // 10.0.0.0/8 private
    {0x64400000, 10},  // 100.64.0.0/10 shared address space (carrier NAT)
    {0x7F000000, 8},   // 127.0.0.0/8 loopback
    {0xA9FE0000, 16},  // 169.254.0.0/16 link-local (cloud metadata)
    {0xAC100000, 12},  // 172.16.0.0/12 private
    {0xC0000000, 24},  // 192.0.0.0/24 protocol assignments
    {0xC0000200, 24},  // 192.0.2.0/24 documentation
    {0xC0A80000, 16},  // 192.168.0.0/16 private
    {0xC6120000, 15},  // 198.18.0.0/15 benchmarking
    {0xC6336400, 24},  // 198.51.100.0/24 documentation
    {0xCB007100, 24},  // 203.0.113.0/24 documentation
    {0xE0000000, 4},   // 224.0.0.0/4 multicast
    {0xF0000000, 4},   // 240.0.0.0/4 reserved, and the broadcast address
};

bool IsInternalIpv4(std::uint32_t address) {  // host byte order
  for (const Ipv4Range& range : kInternalIpv4) {
    const std::uint32_t mask = ~std::uint32_t{0} << (32 - range.prefix);
    if ((address & mask) == range.network) return true;
  }
  return false;
}

bool IsInternalIpv6(const unsigned char (&a)[16]) {
  // IPv4-mapped (::ffff:a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) carry an IPv4
  // address in their last four bytes: judge that one.
  static constexpr unsigned char kMappedPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
  static constexpr unsigned char kNat64Prefix[12] = {0, 0x64, 0xFF, 0x9B, 0, 0, 0, 0, 0, 0, 0, 0};
  if (std::memcmp(a, kMappedPrefix, 12) == 0 || std::memcmp(a, kNat64Prefix, 12) == 0) {
    const std::uint32_t v4 = (std::uint32_t{a[12]} << 24) | (std::uint32_t{a[13]} << 16) |
                             (std::uint32_t{a[14]} << 8) | std::uint32_t{a[15]};
    return IsInternalIpv4(v4);
  }
  bool leading_zeros = true;  // ::, ::1 and the deprecated IPv4-compatible ::a.b.c.d
  for (int i = 0; i < 12; ++i) leading_zeros = leading_zeros && a[i] == 0;
  if (leading_zeros) return true;
  if (a[0] == 0xFF) return true;                           // ff00::/8 multicast
  if ((a[0] & 0xFE) == 0xFC) return true;                  // fc00::/7 unique local
  if (a[0] == 0xFE && (a[1] & 0xC0) == 0x80) return true;  // fe80::/10 link-local
  if (a[0] == 0xFE && (a[1] & 0xC0) == 0xC0) return true;  // fec0::/10 site-local (deprecated)
  if (a[0] == 0x20 && a[1] == 0x01 && a[2] == 0x0D && a[3] == 0xB8) return true;  // 2001:db8::/32
  return false;
}

}  // namespace

bool IsInternalAddress(const sockaddr* address) {
  if (address == nullptr) return true;
  if (address->sa_family == AF_INET) {
    sockaddr_in v4;
    std::memcpy(&v4, address, sizeof v4);
    return IsInternalIpv4(ntohl(v4.sin_addr.s_addr));
  }
  if (address->sa_family == AF_INET6) {
    sockaddr_in6 v6;
    std::memcpy(&v6, address, sizeof v6);
    unsigned char bytes[16];
    std::memcpy(bytes, &v6.sin6_addr, sizeof bytes);
    return IsInternalIpv6(bytes);
  }
  return true;  // Unix sockets and anything else: never for a webhook
}

}  // namespace taskflow
