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
 * The opaque {@code cursor}s of the trace API, base64url-encoded with a MAC: a trace search's (the
 * keyset position of the last trace of a page, its start to the microsecond and its trace id, bound
 * to the search's {@link TraceFilter#fingerprint() fingerprint}) and a trace's span pages' (the
 * position of the last span of a page, its start and span id, bound to the trace id).
 *
 * <p>The MAC makes a cursor that was edited, truncated or issued for a different search or trace a
 * 400 instead of a silently different page. Its key is random per installation: made by migration
 * V8 in {@code aard_settings} and loaded at start-up by {@link CursorKeyLoader}, so that every
 * instance and restart shares it and nobody can mint a cursor from the source. Until it is loaded
 * (database down at start), a random key of this process signs: cursors then last only as long as
 * it.
 */
final class TraceCursor {

  static final String PARAMETER = "cursor";

  /** The first byte of a search cursor. */
  private static final byte SEARCH = 1;

  /** The first byte of a span page cursor: never mistaken for a search's, whatever the binding. */
  private static final byte SPANS = 2;

  private static final int TRACE_ID_BYTES = 16;
  private static final int SPAN_ID_BYTES = 8;
  private static final int MAC_BYTES = 16;
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

  /**
   * A position in the order of one trace's spans, {@code (start_time, span_id)} ascending.
   *
   * @param startTime the span's start, microsecond precision
   * @param spanId 16 lowercase hex characters
   */
  record SpanPosition(Instant startTime, String spanId) {}

  /** Encodes the position of the last trace of a page, bound to the search's fingerprint. */
  static String encode(Position position, String fingerprint) {
    return sign(SEARCH, position.startTime(), position.traceId(), fingerprint);
  }

  /** Decodes a cursor of this search, or answers a 400 naming {@code cursor}. */
  static Position decode(String cursor, String fingerprint) {
    Opened opened =
        open(
            cursor,
            SEARCH,
            TRACE_ID_BYTES,
            fingerprint,
            "cursor is not a next_cursor of this search: pass next_cursor unchanged, with the same"
                + " filters");
    return new Position(opened.startTime(), opened.id());
  }

  /** Encodes the position of the last span of a page of a trace's spans, bound to the trace. */
  static String encodeSpan(SpanPosition position, String traceId) {
    return sign(SPANS, position.startTime(), position.spanId(), traceId);
  }

  /** Decodes a span cursor of this trace, or answers a 400 naming {@code cursor}. */
  static SpanPosition decodeSpan(String cursor, String traceId) {
    Opened opened =
        open(
            cursor,
            SPANS,
            SPAN_ID_BYTES,
            traceId,
            "cursor is not a next_cursor of this trace: pass next_cursor unchanged, on the same"
                + " trace");
    return new SpanPosition(opened.startTime(), opened.id());
  }

  /** What a cursor holds once its MAC is checked. */
  private record Opened(Instant startTime, String id) {}

  private static String sign(byte kind, Instant startTime, String hexId, String binding) {
    byte[] id = HexFormat.of().parseHex(hexId);
    int length = 1 + Long.BYTES + id.length + MAC_BYTES;
    ByteBuffer payload = ByteBuffer.allocate(length);
    payload.put(kind);
    payload.putLong(ChronoUnit.MICROS.between(Instant.EPOCH, startTime));
    payload.put(id);
    payload.put(mac(payload.array(), length - MAC_BYTES, binding));
    return Base64.getUrlEncoder().withoutPadding().encodeToString(payload.array());
  }

  private static Opened open(
      String cursor, byte kind, int idBytes, String binding, String refusal) {
    int length = 1 + Long.BYTES + idBytes + MAC_BYTES;
    byte[] bytes;
    try {
      bytes = Base64.getUrlDecoder().decode(cursor);
    } catch (IllegalArgumentException e) {
      throw invalid(refusal);
    }
    // A cursor has one spelling: the decoder ignores the unused low bits of the last character,
    // so an edited last character could otherwise decode to the same bytes.
    if (bytes.length != length
        || bytes[0] != kind
        || !Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).equals(cursor)) {
      throw invalid(refusal);
    }
    byte[] expected = mac(bytes, length - MAC_BYTES, binding);
    byte[] actual = Arrays.copyOfRange(bytes, length - MAC_BYTES, length);
    if (!MessageDigest.isEqual(expected, actual)) {
      throw invalid(refusal);
    }
    ByteBuffer in = ByteBuffer.wrap(bytes, 1, length - 1 - MAC_BYTES);
    long micros = in.getLong();
    byte[] id = new byte[idBytes];
    in.get(id);
    return new Opened(Instant.EPOCH.plus(micros, ChronoUnit.MICROS), HexFormat.of().formatHex(id));
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

  private static ApiException invalid(String refusal) {
    return ApiException.badRequest(PARAMETER, refusal);
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
