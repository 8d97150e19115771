package io.aard.tool.http;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Which addresses are not on the public internet, and so out of the {@code http_get} tool's reach
 * unless explicitly allowed: unspecified, loopback, link-local (cloud metadata services live at
 * 169.254.169.254), private, unique local, multicast, shared (carrier-grade NAT), documentation,
 * benchmarking and reserved ranges, and IPv6 forms that carry an IPv4 address (IPv4-mapped,
 * IPv4-compatible, NAT64, 6to4) when the address they carry is one of those.
 */
final class AddressKind {

  private AddressKind() {}

  /** What kind of non-public address {@code address} is, or {@code null} when it is public. */
  static String nonPublic(InetAddress address) {
    if (address.isAnyLocalAddress()) {
      return "unspecified";
    }
    if (address.isLoopbackAddress()) {
      return "loopback";
    }
    if (address.isLinkLocalAddress()) {
      return "link-local";
    }
    if (address.isSiteLocalAddress()) {
      return "private";
    }
    if (address.isMulticastAddress()) {
      return "multicast";
    }
    byte[] b = address.getAddress();
    return address instanceof Inet4Address ? ipv4(b) : ipv6(b);
  }

  private static String ipv4(byte[] b) {
    int first = b[0] & 0xff;
    int second = b[1] & 0xff;
    int third = b[2] & 0xff;
    if (first == 0) {
      return "unspecified";
    }
    if (first == 100 && second >= 64 && second <= 127) {
      return "shared (carrier-grade NAT)";
    }
    if (first == 192 && second == 0 && third == 0) {
      return "IETF protocol assignment";
    }
    if ((first == 192 && second == 0 && third == 2)
        || (first == 198 && second == 51 && third == 100)
        || (first == 203 && second == 0 && third == 113)) {
      return "documentation";
    }
    if (first == 198 && (second == 18 || second == 19)) {
      return "benchmarking";
    }
    if (first == 192 && second == 88 && third == 99) {
      // The deprecated 6to4 relay anycast: whoever runs the nearest relay receives the request.
      return "6to4 relay anycast";
    }
    if (first >= 240) {
      return "reserved";
    }
    return null;
  }

  private static String ipv6(byte[] b) {
    if ((b[0] & 0xfe) == 0xfc) {
      return "unique local";
    }
    if ((b[0] & 0xff) == 0xfe && (b[1] & 0xc0) == 0xc0) {
      return "site-local";
    }
    if (zero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
      return "IPv4-mapped IPv6";
    }
    if (zero(b, 0, 12)) {
      return "IPv4-compatible IPv6";
    }
    if ((b[0] & 0xff) == 0x00
        && (b[1] & 0xff) == 0x64
        && (b[2] & 0xff) == 0xff
        && (b[3] & 0xff) == 0x9b
        && zero(b, 4, 12)) {
      return embedded("NAT64", b, 12);
    }
    if ((b[0] & 0xff) == 0x00
        && (b[1] & 0xff) == 0x64
        && (b[2] & 0xff) == 0xff
        && (b[3] & 0xff) == 0x9b
        && (b[4] & 0xff) == 0x00
        && (b[5] & 0xff) == 0x01) {
      // Local-use NAT64 (RFC 8215): a translator of this network reaches any IPv4 address,
      // embedded in a way the network chooses, so none of it can be checked: refuse all.
      return "local-use NAT64";
    }
    if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) {
      return embedded("6to4", b, 2);
    }
    if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x01 && b[2] == 0 && b[3] == 0) {
      // Teredo tunnels to an IPv4 host hidden (obfuscated) in the address: refuse all.
      return "Teredo";
    }
    if ((b[0] & 0xff) == 0x20
        && (b[1] & 0xff) == 0x01
        && (b[2] & 0xff) == 0x0d
        && (b[3] & 0xff) == 0xb8) {
      return "documentation";
    }
    return null;
  }

  private static String embedded(String form, byte[] b, int from) {
    byte[] v4 = {b[from], b[from + 1], b[from + 2], b[from + 3]};
    try {
      String kind = nonPublic(InetAddress.getByAddress(v4));
      return kind == null ? null : form + " of a " + kind + " IPv4 address";
    } catch (UnknownHostException e) {
      throw new IllegalStateException("four bytes are always an IPv4 address", e);
    }
  }

  private static boolean zero(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }
}
