package io.aard.tool;

import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The hosts the {@code http_get} tool may call, from {@value #CONFIG_KEY}: a comma-separated list
 * of host names or IP addresses, matched exactly and case-insensitively on any port. An empty list
 * disables the tool. Checking happens before any connection is made.
 */
final class HostAllowList {

  /** The configuration key (environment variable) that holds the list. */
  static final String CONFIG_KEY = "HTTP_TOOL_ALLOWED_HOSTS";

  // A DNS name or IPv4 address, or an IPv6 literal (at least two colons), optionally bracketed.
  private static final Pattern HOST_NAME = Pattern.compile("[a-z0-9_-]+(\\.[a-z0-9_-]+)*\\.?");
  private static final Pattern IPV6 =
      Pattern.compile(
          "([0-9a-f.]*:[0-9a-f.]*:[0-9a-f:.]*)|\\[([0-9a-f.]*:[0-9a-f.]*:[0-9a-f:.]*)\\]");

  private final Set<String> hosts;

  private HostAllowList(Set<String> hosts) {
    this.hosts = Collections.unmodifiableSet(hosts);
  }

  /**
   * Parses the configured value; {@code null} or blank gives the empty (disabling) list, empty
   * entries (a trailing comma) are ignored.
   *
   * @throws IllegalArgumentException naming the key and the entry when an entry is not a bare host,
   *     for example a URL or a host with a port
   */
  static HostAllowList parse(String commaSeparated) {
    Set<String> hosts = new LinkedHashSet<>();
    if (commaSeparated != null) {
      for (String entry : commaSeparated.split(",")) {
        String host = entry.strip().toLowerCase(Locale.ROOT);
        if (host.isEmpty()) {
          continue;
        }
        if (!HOST_NAME.matcher(host).matches() && !IPV6.matcher(host).matches()) {
          throw new IllegalArgumentException(
              CONFIG_KEY
                  + ": '"
                  + entry.strip()
                  + "' is not a host name; expected a comma-separated list of bare host names or"
                  + " IP addresses, without scheme, port or path, e.g. api.example.com,127.0.0.1");
        }
        hosts.add(normalize(host));
      }
    }
    return new HostAllowList(hosts);
  }

  /** The allowed hosts, lower case, in configuration order. */
  Set<String> hosts() {
    return hosts;
  }

  /** Whether the list is empty, which disables the tool. */
  boolean isEmpty() {
    return hosts.isEmpty();
  }

  /**
   * Returns normally when the tool may request {@code uri}.
   *
   * @throws ToolException when the tool is disabled, or the URL is not absolute http(s), carries
   *     user information ({@code http://allowed@evil.com/} goes to {@code evil.com}), has no host,
   *     or names a host that is not on the list
   */
  void check(URI uri) throws ToolException {
    if (hosts.isEmpty()) {
      throw new ToolException("the http_get tool is disabled: " + CONFIG_KEY + " is empty");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new ToolException(
          "only http and https URLs are allowed, e.g. https://example.com/; got '" + uri + "'");
    }
    if (uri.getRawUserInfo() != null) {
      throw new ToolException(
          "URLs with user information before '@' are not allowed; got '" + uri + "'");
    }
    if (uri.getHost() == null) {
      throw new ToolException("the URL has no valid host; got '" + uri + "'");
    }
    String host = normalize(uri.getHost().toLowerCase(Locale.ROOT));
    if (!hosts.contains(host)) {
      throw new ToolException(
          "host '"
              + host
              + "' is not allowed (allowed: "
              + String.join(", ", hosts)
              + "); to allow it, add it to the comma-separated list in "
              + CONFIG_KEY);
    }
  }

  // Brackets around an IPv6 literal and the trailing dot of a fully qualified name do not change
  // which host is meant.
  private static String normalize(String host) {
    String h = host;
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (h.endsWith(".") && h.length() > 1) {
      h = h.substring(0, h.length() - 1);
    }
    return h;
  }
}
