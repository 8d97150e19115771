package io.aard.tool.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AddressKindTest {

  // Literals only: InetAddress parses them without a DNS lookup.
  private static String kind(String literal) throws UnknownHostException {
    return AddressKind.nonPublic(InetAddress.getByName(literal));
  }

  @Test
  void publicAddressesArePublic() throws UnknownHostException {
    for (String address :
        List.of("93.184.216.34", "8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "2a00:1450::1")) {
      assertNull(kind(address), address);
    }
  }

  @Test
  void nonPublicIpv4RangesAreNamed() throws UnknownHostException {
    Map<String, String> cases =
        Map.ofEntries(
            Map.entry("127.0.0.1", "loopback"),
            Map.entry("127.255.0.7", "loopback"),
            Map.entry("0.0.0.0", "unspecified"),
            Map.entry("0.1.2.3", "unspecified"),
            Map.entry("10.0.0.1", "private"),
            Map.entry("172.16.0.1", "private"),
            Map.entry("172.31.255.255", "private"),
            Map.entry("192.168.1.1", "private"),
            Map.entry("169.254.169.254", "link-local"),
            Map.entry("224.0.0.1", "multicast"),
            Map.entry("100.64.0.1", "shared (carrier-grade NAT)"),
            Map.entry("192.0.0.8", "IETF protocol assignment"),
            Map.entry("192.0.2.1", "documentation"),
            Map.entry("198.18.0.1", "benchmarking"),
            Map.entry("240.0.0.1", "reserved"),
            Map.entry("255.255.255.255", "reserved"));
    for (var c : cases.entrySet()) {
      assertEquals(c.getValue(), kind(c.getKey()), c.getKey());
    }
  }

  @Test
  void neighboursOfPrivateRangesArePublic() throws UnknownHostException {
    for (String address :
        List.of("172.15.255.255", "172.32.0.1", "100.63.255.255", "100.128.0.1")) {
      assertNull(kind(address), address);
    }
  }

  @Test
  void nonPublicIpv6RangesAreNamed() throws UnknownHostException {
    Map<String, String> cases =
        Map.ofEntries(
            Map.entry("::1", "loopback"),
            Map.entry("::", "unspecified"),
            Map.entry("fe80::1", "link-local"),
            Map.entry("fec0::1", "private"),
            Map.entry("fc00::1", "unique local"),
            Map.entry("fd12:3456::1", "unique local"),
            Map.entry("ff02::1", "multicast"),
            Map.entry("::7f00:1", "IPv4-compatible IPv6"),
            Map.entry("64:ff9b::a00:1", "NAT64 of a private IPv4 address"),
            Map.entry("2002:7f00:1::1", "6to4 of a loopback IPv4 address"),
            Map.entry("2001:db8::1", "documentation"));
    for (var c : cases.entrySet()) {
      assertEquals(c.getValue(), kind(c.getKey()), c.getKey());
    }
  }

  @Test
  void ipv4MappedIpv6IsJudgedByTheIpv4AddressItCarries() throws UnknownHostException {
    assertEquals("loopback", kind("::ffff:127.0.0.1"));
    assertEquals("link-local", kind("::ffff:a9fe:a9fe"));
    assertEquals("private", kind("::ffff:10.1.2.3"));
  }

  @Test
  void ipv4MappedIpv6KeptAsIpv6IsRefused() throws UnknownHostException {
    byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 8, 8, 8, 8};
    assertEquals(
        "IPv4-mapped IPv6",
        AddressKind.nonPublic(java.net.Inet6Address.getByAddress(null, mapped, null)));
  }

  @Test
  void embeddedPublicIpv4IsPublic() throws UnknownHostException {
    assertNull(kind("64:ff9b::808:808"));
    assertNull(kind("2002:808:808::1"));
  }

  @Test
  void tunnelAndTranslatorRangesAreRefusedWhateverTheyCarry() throws UnknownHostException {
    assertEquals("local-use NAT64", kind("64:ff9b:1::808:808"));
    assertEquals("local-use NAT64", kind("64:ff9b:1:ffff::1"));
    assertEquals("Teredo", kind("2001:0:4136:e378:8000:63bf:3fff:fdd2"));
    assertEquals("Teredo", kind("2001::1"));
    assertEquals("6to4 relay anycast", kind("192.88.99.1"));
    // Their neighbours stay public.
    assertNull(kind("64:ff9b:2::808:808"));
    assertNull(kind("2001:1::1"));
    assertNull(kind("2001:4860:4860::8888"));
    assertNull(kind("192.88.98.1"));
    assertNull(kind("192.88.100.1"));
  }
}
