package io.aard.tool.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aard.tool.ToolException;
import io.aard.tool.http.HttpGetTool.Answer;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The http_get tool's redirect policy and address pinning, with the network faked. */
class HttpGetRedirectPolicyTest {

  private static final HostAllowList ALLOWED =
      HostAllowList.parse("api.example.com,docs.example.com,internal.example.com,127.0.0.1");

  private static final HostAllowList.Resolver DNS =
      host -> {
        String literal =
            Map.of(
                    "api.example.com", "93.184.216.34",
                    "docs.example.com", "93.184.216.35",
                    "internal.example.com", "192.168.0.10",
                    "evil.example.net", "6.6.6.6")
                .get(host);
        if (literal == null && !host.matches("[0-9.]+")) {
          throw new UnknownHostException(host);
        }
        return new InetAddress[] {InetAddress.getByName(literal == null ? host : literal)};
      };

  /** Answers by URL; records every target it was asked for. */
  private static final class FakeNetwork implements HttpGetTool.Exchange {
    final Map<String, Answer> answers;
    final List<HostAllowList.Target> asked = new ArrayList<>();

    FakeNetwork(Map<String, Answer> answers) {
      this.answers = answers;
    }

    @Override
    public Answer get(HostAllowList.Target target, Deadline deadline) {
      asked.add(target);
      Answer answer = answers.get(target.uri().toString());
      return answer == null ? new Answer(404, null, "not found", false) : answer;
    }
  }

  private static Answer redirect(String location) {
    return new Answer(302, location, "", false);
  }

  private static String fetch(String url, FakeNetwork network) throws ToolException {
    return HttpGetTool.fetch(
        URI.create(url), ALLOWED, DNS, network, Deadline.in(Duration.ofSeconds(30)));
  }

  @Test
  void redirectWithinTheListIsFollowedAndReported() throws ToolException {
    FakeNetwork network =
        new FakeNetwork(
            Map.of(
                "https://api.example.com/old",
                redirect("https://docs.example.com/new"),
                "https://docs.example.com/new",
                new Answer(200, null, "hello", false)));

    assertEquals(
        "HTTP 200\nredirected to https://docs.example.com/new\nhello",
        fetch("https://api.example.com/old", network));
    assertEquals(2, network.asked.size());
  }

  @Test
  void relativeRedirectIsResolvedAgainstTheCurrentUrl() throws ToolException {
    FakeNetwork network =
        new FakeNetwork(
            Map.of(
                "https://api.example.com/a/b",
                redirect("../c?x=1#frag"),
                "https://api.example.com/c?x=1",
                new Answer(200, null, "c", false)));

    assertTrue(fetch("https://api.example.com/a/b", network).endsWith("\nc"));
  }

  @Test
  void redirectToAHostOffTheListIsRefusedBeforeAnyRequest() {
    FakeNetwork network =
        new FakeNetwork(Map.of("https://api.example.com/", redirect("https://evil.example.net/")));

    ToolException e =
        assertThrows(ToolException.class, () -> fetch("https://api.example.com/", network));
    assertTrue(
        e.getMessage()
            .startsWith(
                "redirect to https://evil.example.net/ refused: host 'evil.example.net' is not"
                    + " allowed"),
        e.getMessage());
    assertEquals(1, network.asked.size());
  }

  @Test
  void redirectToAListedNameAtAPrivateAddressIsRefused() {
    FakeNetwork network =
        new FakeNetwork(
            Map.of("https://api.example.com/", redirect("http://internal.example.com/")));

    ToolException e =
        assertThrows(ToolException.class, () -> fetch("https://api.example.com/", network));
    assertTrue(e.getMessage().contains("192.168.0.10, a private address"), e.getMessage());
    assertEquals(1, network.asked.size());
  }

  @Test
  void redirectToCloudMetadataIsRefused() {
    FakeNetwork network =
        new FakeNetwork(
            Map.of("https://api.example.com/", redirect("http://169.254.169.254/latest/")));

    assertThrows(ToolException.class, () -> fetch("https://api.example.com/", network));
    assertEquals(1, network.asked.size());
  }

  @Test
  void redirectToAnotherSchemeIsRefused() {
    FakeNetwork network =
        new FakeNetwork(Map.of("https://api.example.com/", redirect("file:///etc/passwd")));

    ToolException e =
        assertThrows(ToolException.class, () -> fetch("https://api.example.com/", network));
    assertTrue(e.getMessage().contains("only http and https URLs are allowed"), e.getMessage());
  }

  @Test
  void fiveRedirectsAreFollowedAndASixthIsRefused() throws ToolException {
    var five = new java.util.HashMap<String, Answer>();
    for (int i = 0; i < 5; i++) {
      five.put("https://api.example.com/" + i, redirect("/" + (i + 1)));
    }
    five.put("https://api.example.com/5", new Answer(200, null, "end", false));
    assertTrue(fetch("https://api.example.com/0", new FakeNetwork(five)).endsWith("end"));

    var loop = new FakeNetwork(Map.of("https://api.example.com/loop", redirect("/loop")));
    ToolException e =
        assertThrows(ToolException.class, () -> fetch("https://api.example.com/loop", loop));
    assertTrue(e.getMessage().contains("redirected more than 5 times"), e.getMessage());
    assertEquals(6, loop.asked.size());
  }

  @Test
  void redirectWithoutLocationIsTheOutput() throws ToolException {
    FakeNetwork network =
        new FakeNetwork(Map.of("https://api.example.com/", new Answer(302, null, "moved", false)));
    assertEquals("HTTP 302\nmoved", fetch("https://api.example.com/", network));
  }

  @Test
  void passedDeadlineStopsTheFetch() {
    FakeNetwork network = new FakeNetwork(Map.of());
    ToolException e =
        assertThrows(
            ToolException.class,
            () ->
                HttpGetTool.fetch(
                    URI.create("https://api.example.com/"),
                    ALLOWED,
                    DNS,
                    network,
                    new Deadline(System.nanoTime() - 1)));
    assertTrue(e.getMessage().contains("did not finish within 30 s"), e.getMessage());
    assertTrue(network.asked.isEmpty());
  }

  /** A timeout of 0 means "no timeout" to the HTTP client: the last instant must never give it. */
  @Test
  void theConnectAndReadTimeoutsNeverReachZero() throws ToolException {
    URI uri = URI.create("https://api.example.com/");
    assertEquals(1, Deadline.timeoutMillis(200_000, 10_000));
    assertEquals(1, Deadline.timeoutMillis(1, 10_000));
    assertEquals(10_000, Deadline.in(Duration.ofSeconds(30)).timeoutMillis(uri, 10_000));
    long left = Deadline.in(Duration.ofSeconds(5)).timeoutMillis(uri, 10_000);
    assertTrue(left > 4_000 && left <= 5_000, left + " ms");
    ToolException passed =
        assertThrows(
            ToolException.class,
            () -> new Deadline(System.nanoTime() - 1).timeoutMillis(uri, 10_000));
    assertTrue(passed.getMessage().contains("did not finish within 30 s"), passed.getMessage());
  }

  @Test
  void plainHttpIsPinnedToTheCheckedAddressWithTheNameAsHost() throws UnknownHostException {
    HostAllowList.Target target =
        new HostAllowList.Target(
            URI.create("http://api.example.com:8080/v1/status?q=a%20b#top"),
            InetAddress.getByName("93.184.216.34"));

    assertEquals(
        URI.create("http://93.184.216.34:8080/v1/status?q=a%20b"), HttpGetTool.connectUri(target));
    assertEquals("api.example.com:8080", HttpGetTool.hostHeader(target));
  }

  @Test
  void pinnedIpv6AddressIsBracketed() throws UnknownHostException {
    HostAllowList.Target target =
        new HostAllowList.Target(
            URI.create("http://api.example.com"), InetAddress.getByName("2606:4700::1"));

    assertEquals(URI.create("http://[2606:4700:0:0:0:0:0:1]/"), HttpGetTool.connectUri(target));
    assertEquals("api.example.com", HttpGetTool.hostHeader(target));
  }

  @Test
  void httpsAndIpLiteralsAreNotRewritten() throws UnknownHostException {
    HostAllowList.Target https =
        new HostAllowList.Target(
            URI.create("https://api.example.com/x"), InetAddress.getByName("93.184.216.34"));
    HostAllowList.Target literal =
        new HostAllowList.Target(
            URI.create("http://127.0.0.1:9180/x"), InetAddress.getByName("127.0.0.1"));

    assertEquals(https.uri(), HttpGetTool.connectUri(https));
    assertNull(HttpGetTool.hostHeader(https));
    assertEquals(literal.uri(), HttpGetTool.connectUri(literal));
    assertNull(HttpGetTool.hostHeader(literal));
  }

  @Test
  void invalidLocationIsAnError() {
    FakeNetwork network =
        new FakeNetwork(Map.of("https://api.example.com/", redirect("http://bad host/")));
    ToolException e =
        assertThrows(ToolException.class, () -> fetch("https://api.example.com/", network));
    assertTrue(e.getMessage().contains("redirected to an invalid URL"), e.getMessage());
  }
}
