package io.aard.tracequery;

import io.aard.web.ApiException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The opaque {@code cursor} of a trace search: the keyset position of the last trace of a page (its
 * start to the microsecond and its trace id), base64url-encoded with a MAC over the position and
 * the search's {@link TraceFilter#fingerprint() fingerprint}.
 *
 * <p>The MAC makes a cursor that was edited, truncated or issued for a different search a 400
 * instead of a silently different page. Its key is random per installation: made by migration V8 in
 * {@code aard_settings} and loaded at start-up by {@link CursorKeyLoader}, so that every instance
 * and restart shares it and nobody can mint a cursor from the source. Until it is loaded (database
 * down at start), a random key of this process signs: cursors then last only as long as it.
 */
final class TraceCursor {

  static final String PARAMETER = "cursor";

  private static final byte VERSION = 1;
  private static final int TRACE_ID_BYTES = 16;
  private static final int MAC_BYTES = 16;
  private static final int LENGTH = 1 + Long.BYTES + TRACE_ID_BYTES + MAC_BYTES;
  private static final String ALGORITHM = "HmacSHA256";
  private static volatile byte[] key = randomKey();

  private TraceCursor() {}

  /**
   * A position in the newest-first order of traces.
   *
   * @param startTime the trace's start (its root span's), microsecond precision
   * @param traceId 32 lowercase hex characters
   */
  record Position(Instant startTime, String traceId) {}

  /** Encodes the position of the last trace of a page, bound to the search's fingerprint. */
  static String encode(Position position, String fingerprint) {
    ByteBuffer payload = ByteBuffer.allocate(LENGTH);
    payload.put(VERSION);
    payload.putLong(ChronoUnit.MICROS.between(Instant.EPOCH, position.startTime()));
    payload.put(HexFormat.of().parseHex(position.traceId()));
    payload.put(mac(payload.array(), LENGTH - MAC_BYTES, fingerprint));
    return Base64.getUrlEncoder().withoutPadding().encodeToString(payload.array());
  }

  /** Decodes a cursor of this search, or answers a 400 naming {@code cursor}. */
  static Position decode(String cursor, String fingerprint) {
    byte[] bytes;
    try {
      bytes = Base64.getUrlDecoder().decode(cursor);
    } catch (IllegalArgumentException e) {
      throw invalid();
    }
    if (bytes.length != LENGTH || bytes[0] != VERSION) {
      throw invalid();
    }
    byte[] expected = mac(bytes, LENGTH - MAC_BYTES, fingerprint);
    byte[] actual = Arrays.copyOfRange(bytes, LENGTH - MAC_BYTES, LENGTH);
    if (!MessageDigest.isEqual(expected, actual)) {
      throw invalid();
    }
    ByteBuffer in = ByteBuffer.wrap(bytes, 1, LENGTH - 1 - MAC_BYTES);
    long micros = in.getLong();
    byte[] traceId = new byte[TRACE_ID_BYTES];
    in.get(traceId);
    return new Position(
        Instant.EPOCH.plus(micros, ChronoUnit.MICROS), HexFormat.of().formatHex(traceId));
  }

  /** Signs and checks cursors with {@code installationKey} from now on. */
  static void useKey(byte[] installationKey) {
    if (installationKey.length < 16) {
      throw new IllegalArgumentException("a cursor key needs at least 16 bytes");
    }
    key = installationKey.clone();
  }

  private static byte[] randomKey() {
    byte[] random = new byte[32];
    new java.security.SecureRandom().nextBytes(random);
    return random;
  }

  private static ApiException invalid() {
    return ApiException.badRequest(
        PARAMETER,
        "cursor is not a next_cursor of this search: pass next_cursor unchanged, with the same"
            + " filters");
  }

  private static byte[] mac(byte[] payload, int length, String fingerprint) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(key, ALGORITHM));
      mac.update(payload, 0, length);
      mac.update(fingerprint.getBytes(StandardCharsets.UTF_8));
      return Arrays.copyOf(mac.doFinal(), MAC_BYTES);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
    }
  }
}
