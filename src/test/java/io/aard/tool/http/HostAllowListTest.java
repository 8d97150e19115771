package io.aard.tool.http;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aard.tool.ToolException;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostAllowListTest {

  private static final HostAllowList ALLOWED =
      HostAllowList.parse("api.example.com, 127.0.0.1,Docs.Example.ORG");

  private static String refusal(HostAllowList list, String url) {
    return assertThrows(ToolException.class, () -> list.check(URI.create(url))).getMessage();
  }

  @Test
  void listedHostIsAllowed() {
    assertDoesNotThrow(() -> ALLOWED.check(URI.create("https://api.example.com/v1/status")));
    assertDoesNotThrow(() -> ALLOWED.check(URI.create("http://127.0.0.1:9180/health")));
  }

  @Test
  void hostsAreMatchedCaseInsensitively() {
    assertDoesNotThrow(() -> ALLOWED.check(URI.create("https://API.Example.com/")));
    assertDoesNotThrow(() -> ALLOWED.check(URI.create("https://docs.example.org/")));
  }

  @Test
  void schemeIsMatchedCaseInsensitively() {
    assertDoesNotThrow(() -> ALLOWED.check(URI.create("HTTPS://api.example.com/")));
  }

  @Test
  void entriesAreTrimmedAndLowerCased() {
    assertEquals(
        List.of("api.example.com", "127.0.0.1", "docs.example.org"), List.copyOf(ALLOWED.hosts()));
  }

  @Test
  void unlistedHostIsRefusedWithHowToAllowIt() {
    assertEquals(
        "host 'evil.com' is not allowed (allowed: api.example.com, 127.0.0.1, docs.example.org);"
            + " to allow it, add it to the comma-separated list in HTTP_TOOL_ALLOWED_HOSTS",
        refusal(ALLOWED, "https://evil.com/steal"));
  }

  @Test
  void subdomainOfAllowedHostIsRefused() {
    assertTrue(
        refusal(ALLOWED, "https://x.api.example.com/").startsWith("host 'x.api.example.com'"));
  }

  @Test
  void allowedNameAsPrefixOfAnotherHostIsRefused() {
    assertTrue(
        refusal(ALLOWED, "https://api.example.com.evil.com/")
            .startsWith("host 'api.example.com.evil.com' is not allowed"));
  }

  @Test
  void userInfoTrickIsRefused() {
    assertEquals(
        "URLs with user information before '@' are not allowed; got"
            + " 'http://api.example.com@evil.com/'",
        refusal(ALLOWED, "http://api.example.com@evil.com/"));
  }

  @Test
  void userInfoIsRefusedEvenForAnAllowedHost() {
    assertTrue(
        refusal(ALLOWED, "https://user:secret@api.example.com/").startsWith("URLs with user"));
  }

  @Test
  void nonHttpSchemesAreRefused() {
    for (String url :
        List.of("ftp://api.example.com/file", "file:///etc/passwd", "jar:file:/x.jar!/a")) {
      assertTrue(refusal(ALLOWED, url).startsWith("only http and https URLs are allowed"), url);
    }
  }

  @Test
  void relativeUrlIsRefused() {
    assertTrue(refusal(ALLOWED, "api.example.com/v1").startsWith("only http and https URLs"));
  }

  @Test
  void urlWithoutHostIsRefused() {
    assertEquals("the URL has no valid host; got 'http:///path'", refusal(ALLOWED, "http:///path"));
  }

  @Test
  void emptyListDisablesTheTool() {
    String disabled = "the http_get tool is disabled: HTTP_TOOL_ALLOWED_HOSTS is empty";
    assertEquals(disabled, refusal(HostAllowList.parse(""), "https://api.example.com/"));
    assertEquals(disabled, refusal(HostAllowList.parse(null), "https://api.example.com/"));
    assertEquals(disabled, refusal(HostAllowList.parse(" , ,"), "https://api.example.com/"));
  }

  @Test
  void disabledToolRefusesEvenMalformedUrlsWithTheDisabledMessage() {
    assertTrue(HostAllowList.parse("").isEmpty());
    assertTrue(refusal(HostAllowList.parse(""), "ftp://x/").contains("is disabled"));
  }

  @Test
  void ipv6LiteralsMatchWithOrWithoutBrackets() {
    HostAllowList list = HostAllowList.parse("::1,[fe80::2]");
    assertDoesNotThrow(() -> list.check(URI.create("http://[::1]:8080/")));
    assertDoesNotThrow(() -> list.check(URI.create("http://[FE80::2]/")));
  }

  @Test
  void trailingDotOfAFullyQualifiedNameIsIgnored() {
    assertDoesNotThrow(() -> ALLOWED.check(URI.create("https://api.example.com./")));
  }

  @Test
  void entryThatIsNotABareHostIsAConfigurationError() {
    for (String entry : List.of("https://api.example.com", "api.example.com:443", "a b", "x/y")) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> HostAllowList.parse(entry));
      assertTrue(e.getMessage().startsWith("HTTP_TOOL_ALLOWED_HOSTS: '" + entry + "'"), entry);
    }
  }
}
