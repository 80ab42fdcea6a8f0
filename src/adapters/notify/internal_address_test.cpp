#include "adapters/notify/internal_address.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/un.h>

#include <string>

namespace taskflow {
namespace {

bool Internal(const std::string& text) {
  sockaddr_in v4{};
  if (inet_pton(AF_INET, text.c_str(), &v4.sin_addr) == 1) {
    v4.sin_family = AF_INET;
    return IsInternalAddress(reinterpret_cast<const sockaddr*>(&v4));
  }
  sockaddr_in6 v6{};
  if (inet_pton(AF_INET6, text.c_str(), &v6.sin6_addr) == 1) {
    v6.sin6_family = AF_INET6;
    return IsInternalAddress(reinterpret_cast<const sockaddr*>(&v6));
  }
  ADD_FAILURE() << "not an address: " << text;
  return false;
}

TEST(InternalAddressTest, RefusesLoopbackPrivateLinkLocalAndReservedIpv4) {
  for (const char* address :
       {"127.0.0.1",       "127.255.255.254", "0.0.0.0",     "10.0.0.1",        "10.255.255.255",
        "172.16.0.1",      "172.31.255.255",  "192.168.1.1", "169.254.169.254", "100.64.0.1",
        "100.127.255.255", "192.0.0.8",       "192.0.2.1",   "198.18.0.1",      "198.19.255.255",
        "198.51.100.7",    "203.0.113.9",     "224.0.0.1",   "239.255.255.250", "240.0.0.1",
        "255.255.255.255"}) {
    EXPECT_TRUE(Internal(address)) << address;
  }
}

TEST(InternalAddressTest, AllowsPublicIpv4IncludingTheNeighboursOfEachRange) {
  for (const char* address : {"8.8.8.8", "1.1.1.1", "9.255.255.255", "11.0.0.0", "100.63.255.255",
                              "100.128.0.0", "126.255.255.255", "128.0.0.1", "169.253.255.255",
                              "169.255.0.0", "172.15.255.255", "172.32.0.0", "192.167.255.255",
                              "192.169.0.0", "198.17.255.255", "198.20.0.0", "223.255.255.255"}) {
    EXPECT_FALSE(Internal(address)) << address;
  }
}

TEST(InternalAddressTest, RefusesInternalIpv6AndIpv4HiddenInIt) {
  for (const char* address :
       {"::", "::1", "fe80::1", "febf::1", "fec0::1", "fc00::1", "fd12:3456::1", "ff02::1",
        "2001:db8::1", "::ffff:127.0.0.1", "::ffff:10.1.2.3", "::ffff:169.254.169.254",
        "64:ff9b::a00:1", "::127.0.0.1"}) {
    EXPECT_TRUE(Internal(address)) << address;
  }
}

TEST(InternalAddressTest, AllowsPublicIpv6) {
  for (const char* address :
       {"2001:4860:4860::8888", "2606:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808"}) {
    EXPECT_FALSE(Internal(address)) << address;
  }
}

TEST(InternalAddressTest, OtherFamiliesAndNullAreRefused) {
  sockaddr_un unix_socket{};
  unix_socket.sun_family = AF_UNIX;
  EXPECT_TRUE(IsInternalAddress(reinterpret_cast<const sockaddr*>(&unix_socket)));
  EXPECT_TRUE(IsInternalAddress(nullptr));
}

}  // namespace
}  // namespace taskflow
