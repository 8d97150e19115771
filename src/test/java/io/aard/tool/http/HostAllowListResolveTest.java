package io.aard.tool.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aard.tool.ToolException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HostAllowListResolveTest {

  /** A DNS of literals: never a real lookup. */
  private static HostAllowList.Resolver dns(Map<String, List<String>> answers) {
    return host -> {
      List<String> literals = answers.get(host);
      if (literals == null) {
        if (host.matches("[0-9.]+") || host.contains(":")) {
          return new InetAddress[] {InetAddress.getByName(host)};
        }
        throw new UnknownHostException(host);
      }
      List<InetAddress> out = new ArrayList<>();
      for (String literal : literals) {
        out.add(InetAddress.getByName(literal));
      }
      return out.toArray(InetAddress[]::new);
    };
  }

  private static final HostAllowList.Resolver DNS =
      dns(
          Map.of(
              "api.example.com", List.of("93.184.216.34"),
              "rebound.example.com", List.of("93.184.216.34", "127.0.0.1"),
              "metadata.example.com", List.of("169.254.169.254"),
              "intranet.example.com", List.of("10.1.2.3"),
              "localhost", List.of("127.0.0.1")));

  private static String refusal(HostAllowList list, String url) {
    return assertThrows(ToolException.class, () -> list.resolve(URI.create(url), DNS)).getMessage();
  }

  @Test
  void publicAddressOfAListedNameIsTheTarget() throws ToolException {
    HostAllowList list = HostAllowList.parse("api.example.com");
    HostAllowList.Target target = list.resolve(URI.create("https://api.example.com/x"), DNS);
    assertEquals("93.184.216.34", target.address().getHostAddress());
    assertEquals(URI.create("https://api.example.com/x"), target.uri());
  }

  @Test
  void listedNameResolvingToAPrivateAddressIsRefused() {
    HostAllowList list = HostAllowList.parse("metadata.example.com,intranet.example.com,localhost");
    assertEquals(
        "host 'metadata.example.com' resolves to 169.254.169.254, a link-local address, which the"
            + " http_get tool may not call; to allow it, list the address itself in"
            + " HTTP_TOOL_ALLOWED_HOSTS or set HTTP_TOOL_ALLOW_PRIVATE=true",
        refusal(list, "http://metadata.example.com/latest/meta-data/"));
    assertTrue(refusal(list, "http://intranet.example.com/").contains("10.1.2.3, a private"));
    assertTrue(refusal(list, "http://localhost:8080/").contains("127.0.0.1, a loopback"));
  }

  @Test
  void oneNonPublicAddressAmongPublicOnesIsEnoughToRefuse() {
    HostAllowList list = HostAllowList.parse("rebound.example.com");
    assertTrue(
        refusal(list, "http://rebound.example.com/").contains("127.0.0.1, a loopback address"));
  }

  @Test
  void listedIpAddressIsAllowedEvenWhenNotPublic() throws ToolException {
    HostAllowList list = HostAllowList.parse("127.0.0.1,::1");
    assertEquals(
        "127.0.0.1",
        list.resolve(URI.create("http://127.0.0.1:9180/"), DNS).address().getHostAddress());
    assertTrue(list.resolve(URI.create("http://[::1]:9180/"), DNS).address().isLoopbackAddress());
  }

  @Test
  void listedNameResolvingOnlyToListedAddressesIsAllowed() throws ToolException {
    HostAllowList list = HostAllowList.parse("localhost,127.0.0.1");
    assertEquals(
        "127.0.0.1",
        list.resolve(URI.create("http://localhost:1/"), DNS).address().getHostAddress());
  }

  @Test
  void allowPrivateLetsListedNamesResolveToPrivateAddresses() throws ToolException {
    HostAllowList list = HostAllowList.parse("intranet.example.com", "true");
    assertTrue(list.allowsPrivate());
    assertEquals(
        "10.1.2.3",
        list.resolve(URI.create("http://intranet.example.com/"), DNS).address().getHostAddress());
  }

  @Test
  void allowPrivateDoesNotAllowUnlistedHosts() {
    HostAllowList list = HostAllowList.parse("intranet.example.com", "TRUE");
    assertTrue(refusal(list, "http://10.9.9.9/").startsWith("host '10.9.9.9' is not allowed"));
  }

  @Test
  void ipv4MappedFormOfAListedAddressIsNotTheListedName() {
    HostAllowList list = HostAllowList.parse("127.0.0.1");
    assertTrue(
        refusal(list, "http://[::ffff:127.0.0.1]/").startsWith("host '::ffff:127.0.0.1' is not"));
  }

  @Test
  void nameThatDoesNotResolveIsAnError() {
    HostAllowList list = HostAllowList.parse("gone.example.com");
    assertTrue(refusal(list, "https://gone.example.com/").startsWith("unknown host"));
  }

  @Test
  void allowPrivateMustBeTrueOrFalse() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> HostAllowList.parse("a.com", "yes"));
    assertEquals(
        "HTTP_TOOL_ALLOW_PRIVATE='yes' is not accepted: use true or false", e.getMessage());
  }

  @Test
  void malformedIpv6EntryIsAConfigurationError() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> HostAllowList.parse("1::2::3"));
    assertTrue(e.getMessage().startsWith("HTTP_TOOL_ALLOWED_HOSTS: '1::2::3'"), e.getMessage());
  }
}
