package io.aard.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The API keys of {@value #CONFIG_KEY}: a comma list of {@code role:key} entries, for example
 * {@code reader:3kq...,operator:9ZP...}. A role ({@code reader}, {@code operator} or {@code
 * ingest}) may have several keys, so that a key can be rotated without downtime. Only the SHA-256
 * digests of the keys are kept, and a presented key is compared with every one of them in constant
 * time. No message of this class ever contains a key.
 */
public final class ApiKeys {

  /** The configuration key (environment variable) that holds the keys. */
  public static final String CONFIG_KEY = "AARD_API_KEYS";

  /** Shortest accepted key: 16 characters, about 96 bits when random base64. */
  static final int MIN_KEY_LENGTH = 16;

  static final int MAX_KEY_LENGTH = 256;

  // RFC 6750's b64token: what a Bearer credential may contain, without ',' and ':'.
  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._~+/=-]+");

  private static final String FORMAT =
      "; expected a comma list of role:key, e.g. reader:<key>,operator:<key>, with the role"
          + " reader, operator or ingest and a key of "
          + MIN_KEY_LENGTH
          + " to "
          + MAX_KEY_LENGTH
          + " characters from A-Z a-z 0-9 . _ ~ + / = -";

  private record Entry(Role role, byte[] digest) {}

  private final List<Entry> entries;

  private ApiKeys(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  /**
   * Parses the configured value; {@code null} or blank gives no keys (AARD open), empty entries (a
   * trailing comma) are ignored.
   *
   * @throws IllegalArgumentException naming {@value #CONFIG_KEY}, the entry's position and what is
   *     wrong with it, but never the entry's text, which may hold a key
   */
  public static ApiKeys parse(String configured) {
    List<Entry> entries = new ArrayList<>();
    if (configured == null || configured.isBlank()) {
      return new ApiKeys(entries);
    }
    String[] parts = configured.split(",");
    int position = 0;
    for (String part : parts) {
      String entry = part.strip();
      if (entry.isEmpty()) {
        continue;
      }
      position++;
      int colon = entry.indexOf(':');
      if (colon < 0) {
        throw malformed(position, "it has no ':' between role and key");
      }
      Role role = role(entry.substring(0, colon).strip(), position);
      String key = entry.substring(colon + 1).strip();
      if (key.length() < MIN_KEY_LENGTH || key.length() > MAX_KEY_LENGTH) {
        throw malformed(
            position,
            "its key has "
                + key.length()
                + " characters, not "
                + MIN_KEY_LENGTH
                + " to "
                + MAX_KEY_LENGTH);
      }
      if (!KEY.matcher(key).matches()) {
        throw malformed(position, "its key holds a character that is not accepted");
      }
      byte[] digest = sha256(key);
      for (int i = 0; i < entries.size(); i++) {
        if (MessageDigest.isEqual(entries.get(i).digest(), digest)) {
          throw malformed(position, "it repeats the key of entry " + (i + 1));
        }
      }
      entries.add(new Entry(role, digest));
    }
    return new ApiKeys(entries);
  }

  /** Whether no key is configured, which leaves the API open. */
  public boolean isEmpty() {
    return entries.isEmpty();
  }

  /** How many keys each role has, for the health check and the start-up log. */
  public Map<Role, Integer> counts() {
    Map<Role, Integer> counts = new EnumMap<>(Role.class);
    for (Role role : Role.values()) {
      counts.put(role, 0);
    }
    for (Entry entry : entries) {
      counts.merge(entry.role(), 1, Integer::sum);
    }
    return counts;
  }

  /**
   * The role of a presented key. Every configured digest is compared, in constant time, whatever
   * matches, so that the time taken says nothing about the keys.
   */
  public Optional<Role> roleOf(String presented) {
    if (presented == null || presented.isEmpty()) {
      return Optional.empty();
    }
    byte[] digest = sha256(presented);
    Role found = null;
    for (Entry entry : entries) {
      if (MessageDigest.isEqual(entry.digest(), digest) & found == null) {
        found = entry.role();
      }
    }
    return Optional.ofNullable(found);
  }

  private static Role role(String name, int position) {
    for (Role role : Role.values()) {
      if (role.configName().equals(name.toLowerCase(Locale.ROOT))) {
        return role;
      }
    }
    // The text before ':' is not echoed: a swapped entry (key:role) would put the key there.
    throw malformed(position, "its role is not reader, operator or ingest");
  }

  private static IllegalArgumentException malformed(int position, String reason) {
    return new IllegalArgumentException(
        CONFIG_KEY + ": entry " + position + " is not accepted: " + reason + FORMAT);
  }

  private static byte[] sha256(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
