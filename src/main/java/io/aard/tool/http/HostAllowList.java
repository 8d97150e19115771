package io.aard.tool.http;

import io.aard.tool.ToolException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The hosts the {@code http_get} tool may call, from {@value #CONFIG_KEY}: a comma-separated list
 * of host names or IP addresses, matched exactly and case-insensitively on any port. An empty list
 * disables the tool. Checking happens before any connection is made, on the name and then on every
 * address the name resolves to: a non-public address (loopback, private, link-local, ... see {@link
 * AddressKind}) is refused unless it is itself an entry of the list (an IP address, such as {@code
 * 127.0.0.1}) or {@value #ALLOW_PRIVATE_KEY} is {@code true}.
 */
final class HostAllowList {

  /** The configuration key (environment variable) that holds the list. */
  static final String CONFIG_KEY = "HTTP_TOOL_ALLOWED_HOSTS";

  /** The configuration key that lets listed names resolve to non-public addresses. */
  static final String ALLOW_PRIVATE_KEY = "HTTP_TOOL_ALLOW_PRIVATE";

  /** Resolves a host name to its addresses; {@link InetAddress#getAllByName} outside tests. */
  interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  /**
   * A checked URL and the one address it was checked at, which is where the request must go.
   *
   * @param uri the URL as requested
   * @param address the checked address
   */
  record Target(URI uri, InetAddress address) {}

  private static final Pattern IPV4 =
      Pattern.compile(
          "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

  // A DNS name or IPv4 address, or an IPv6 literal (at least two colons), optionally bracketed.
  private static final Pattern HOST_NAME = Pattern.compile("[a-z0-9_-]+(\\.[a-z0-9_-]+)*\\.?");
  private static final Pattern IPV6 =
      Pattern.compile(
          "([0-9a-f.]*:[0-9a-f.]*:[0-9a-f:.]*)|\\[([0-9a-f.]*:[0-9a-f.]*:[0-9a-f:.]*)\\]");

  private final Set<String> hosts;
  private final Set<InetAddress> listedAddresses;
  private final boolean allowPrivate;

  private HostAllowList(Set<String> hosts, Set<InetAddress> listedAddresses, boolean allowPrivate) {
    this.hosts = Collections.unmodifiableSet(hosts);
    this.listedAddresses = Set.copyOf(listedAddresses);
    this.allowPrivate = allowPrivate;
  }

  /** {@link #parse(String, String)} with non-public addresses allowed only when listed. */
  static HostAllowList parse(String commaSeparated) {
    return parse(commaSeparated, null);
  }

  /**
   * Parses the configured value; {@code null} or blank gives the empty (disabling) list, empty
   * entries (a trailing comma) are ignored.
   *
   * @throws IllegalArgumentException naming the key and the entry when an entry is not a bare host,
   *     for example a URL or a host with a port, or when {@code allowPrivate} is neither {@code
   *     true} nor {@code false}
   */
  static HostAllowList parse(String commaSeparated, String allowPrivate) {
    Set<String> hosts = new LinkedHashSet<>();
    Set<InetAddress> addresses = new LinkedHashSet<>();
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
        String normalized = normalize(host);
        hosts.add(normalized);
        if (isIpLiteral(normalized)) {
          addresses.add(literal(normalized, entry.strip()));
        }
      }
    }
    return new HostAllowList(hosts, addresses, parseAllowPrivate(allowPrivate));
  }

  private static boolean parseAllowPrivate(String raw) {
    String value = raw == null ? "" : raw.strip().toLowerCase(Locale.ROOT);
    return switch (value) {
      case "", "false" -> false;
      case "true" -> true;
      default ->
          throw new IllegalArgumentException(
              ALLOW_PRIVATE_KEY + "='" + raw + "' is not accepted: use true or false");
    };
  }

  private static boolean isIpLiteral(String host) {
    return IPV4.matcher(host).matches() || host.indexOf(':') >= 0;
  }

  // Only called on literals: InetAddress parses them without a DNS lookup.
  private static InetAddress literal(String host, String entry) {
    try {
      return InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(
          CONFIG_KEY + ": '" + entry + "' is not a valid IP address", e);
    }
  }

  /** Whether listed names may resolve to non-public addresses ({@value #ALLOW_PRIVATE_KEY}). */
  boolean allowsPrivate() {
    return allowPrivate;
  }

  /**
   * Checks {@code uri} by name ({@link #check}), resolves its host and checks every address.
   *
   * @return the URL with the first address, the one to connect to
   * @throws ToolException when the name is refused, does not resolve, or resolves to an address
   *     that is not public and not allowed
   */
  Target resolve(URI uri, Resolver resolver) throws ToolException {
    check(uri);
    String host = normalize(uri.getHost().toLowerCase(Locale.ROOT));
    InetAddress[] resolved;
    try {
      resolved = resolver.resolve(host);
    } catch (UnknownHostException e) {
      throw new ToolException("unknown host '" + host + "' (GET " + uri + ")", e);
    }
    if (resolved == null || resolved.length == 0) {
      throw new ToolException("unknown host '" + host + "' (GET " + uri + ")");
    }
    for (InetAddress address : resolved) {
      String kind = AddressKind.nonPublic(address);
      if (kind != null && !allowPrivate && !listedAddresses.contains(address)) {
        throw new ToolException(
            "host '"
                + host
                + "' resolves to "
                + address.getHostAddress()
                + ", a "
                + kind
                + " address, which the http_get tool may not call; to allow it, list the address"
                + " itself in "
                + CONFIG_KEY
                + " or set "
                + ALLOW_PRIVATE_KEY
                + "=true");
      }
    }
    return new Target(uri, resolved[0]);
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
