package io.aard.ingest;

import io.aard.Settings;
import io.aard.security.ApiKeyFilter;
import io.aard.security.ApiKeySettings;
import io.aard.security.ApiKeys;
import io.aard.security.Role;
import io.aard.tracing.SpanSanitizer;
import io.aard.tracing.TracingSettings;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.sdk.trace.data.SpanData;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * The OTLP/HTTP trace receiver, {@code POST /v1/traces} (OTLP 1.x): binary protobuf or the OTLP
 * JSON mapping, gzip-compressed or not. Received spans pass the same {@link SpanSanitizer} and the
 * same bounded buffer and writers as AARD's own, so that redaction, truncation, the counters and
 * the dedup of a retried batch hold for them too.
 *
 * <p>Answers as the OTLP spec asks: 200 with an {@code ExportTraceServiceResponse} in the request's
 * encoding, with {@code partial_success} counting refused spans; 400 for a body that does not
 * decode; 401/403 without an operator or ingest key (when keys are set); 413 past {@link
 * #MAX_BODY_BYTES} (sent or inflated); 415 for another content type or encoding; 429 (buffer nearly
 * full) or 503 (database unreachable) with {@code Retry-After}, so that the sender retries instead
 * of AARD dropping. Never 500. A servlet, outside the JAX-RS application ({@code /api}): the OTLP
 * path is fixed by the spec, and the API's 64 KiB body limit is too small for span batches.
 */
@WebServlet(urlPatterns = OtlpTraceServlet.PATH, loadOnStartup = 1)
public class OtlpTraceServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  /** The path OTLP/HTTP exporters send traces to. */
  public static final String PATH = "/v1/traces";

  /** Largest body, as sent and once inflated: 8 MiB, twice what the OTLP spec asks for. */
  public static final int MAX_BODY_BYTES = 8 * 1024 * 1024;

  /** Seconds a sender should wait after a 429 (buffer nearly full). */
  static final int BUSY_RETRY_SECONDS = 1;

  /** Seconds a sender should wait after a 503 (database unreachable). */
  static final int UNAVAILABLE_RETRY_SECONDS = 5;

  private static final Logger LOG = Logger.getLogger(OtlpTraceServlet.class.getName());

  // gRPC codes for the google.rpc.Status of an error answer.
  private static final int INVALID_ARGUMENT = 3;
  private static final int PERMISSION_DENIED = 7;
  private static final int RESOURCE_EXHAUSTED = 8;
  private static final int UNAVAILABLE = 14;
  private static final int UNAUTHENTICATED = 16;

  @Inject transient ApiKeySettings apiKeys;

  private transient SpanSanitizer sanitizer;
  private transient int retentionMonths;

  @Override
  public void init() {
    TracingSettings settings = TracingSettings.read(Settings.lookup());
    sanitizer = SpanSanitizer.of(settings.maxAttributeLength(), settings.redactAttributes());
    retentionMonths = settings.retentionMonths();
  }

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    boolean json = isJson(request.getContentType());
    try {
      handle(request, response);
    } catch (IOException e) {
      // The client went away or sent a broken stream: nothing to store, nothing to answer well.
      answerError(response, 400, INVALID_ARGUMENT, "the body could not be read", json);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "OTLP ingest could not handle a request", e);
      answerError(response, 400, INVALID_ARGUMENT, "the request could not be processed", json);
    }
  }

  private void handle(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String contentType = mediaType(request.getContentType());
    boolean json = OtlpCodec.JSON.equals(contentType);
    ApiKeys keys = apiKeys.keys();
    if (!keys.isEmpty()) {
      String token = ApiKeyFilter.bearerToken(request.getHeader("Authorization"));
      Optional<Role> role = token == null ? Optional.empty() : keys.roleOf(token);
      if (role.isEmpty()) {
        response.setHeader("WWW-Authenticate", "Bearer realm=\"aard\"");
        answerError(
            response,
            401,
            UNAUTHENTICATED,
            "an ingest or operator API key is required: send Authorization: Bearer <key>",
            json);
        return;
      }
      if (!role.get().permitsIngest()) {
        answerError(
            response,
            403,
            PERMISSION_DENIED,
            "a reader key may not send spans; use an ingest or operator key",
            json);
        return;
      }
    }
    if (!json && !OtlpCodec.PROTOBUF.equals(contentType)) {
      answerError(
          response,
          415,
          INVALID_ARGUMENT,
          "Content-Type must be application/x-protobuf or application/json",
          false);
      return;
    }
    String encoding = request.getHeader("Content-Encoding");
    boolean gzip = encoding != null && encoding.strip().equalsIgnoreCase("gzip");
    if (!gzip
        && encoding != null
        && !encoding.isBlank()
        && !encoding.strip().equalsIgnoreCase("identity")) {
      answerError(
          response, 415, INVALID_ARGUMENT, "Content-Encoding must be gzip or identity", json);
      return;
    }
    // A body declared far past the limit is refused unread; one just past it is read (bounded
    // below) so that the client, done sending, reads the 413 instead of a reset connection.
    if (request.getContentLengthLong() > 4L * MAX_BODY_BYTES) {
      tooLarge(response, json);
      return;
    }
    // Read to the end (clients send chunked bodies), never more than one byte past the limit.
    byte[] body = request.getInputStream().readNBytes(MAX_BODY_BYTES + 1);
    if (body.length > MAX_BODY_BYTES) {
      tooLarge(response, json);
      return;
    }
    // Liberty's HTTP channel inflates gzip request bodies itself (httpOptions autoDecompression,
    // on by default) and leaves the header: inflate only what still starts with gzip's magic
    // bytes, which neither protobuf (0x1f is no valid field key) nor JSON can start with.
    if (gzip && body.length >= 2 && (body[0] & 0xff) == 0x1f && (body[1] & 0xff) == 0x8b) {
      try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
        // The inflated size is bounded too: a small gzip bomb must not fill the heap.
        body = in.readNBytes(MAX_BODY_BYTES + 1);
      } catch (ZipException | java.io.EOFException e) {
        answerError(response, 400, INVALID_ARGUMENT, "the body is not valid gzip", json);
        return;
      }
      if (body.length > MAX_BODY_BYTES) {
        tooLarge(response, json);
        return;
      }
    }
    ExportTraceServiceRequest export;
    try {
      export = OtlpCodec.decode(body, json);
    } catch (OtlpCodec.Undecodable e) {
      answerError(response, 400, INVALID_ARGUMENT, e.getMessage(), json);
      return;
    }
    DatabaseSpanExporter exporter = DatabaseSpanExporter.current();
    if (exporter == null) {
      response.setHeader("Retry-After", Integer.toString(UNAVAILABLE_RETRY_SECONDS));
      answerError(
          response,
          503,
          UNAVAILABLE,
          "the span store is off: TRACING_EXPORTER does not name database",
          json);
      return;
    }
    long now = System.currentTimeMillis() * 1_000_000L;
    OtlpSpans.Converted converted = OtlpSpans.convert(export, now, oldestNanos());
    List<SpanData> clean = new ArrayList<>(converted.spans().size());
    for (SpanData span : converted.spans()) {
      clean.add(sanitizer.sanitize(span));
    }
    DatabaseSpanExporter.Admission admission =
        clean.isEmpty() ? DatabaseSpanExporter.Admission.ACCEPTED : exporter.admit(clean);
    switch (admission) {
      case ACCEPTED ->
          answer(
              response, OtlpCodec.response(converted.rejected(), converted.message(), json), json);
      case BUSY -> {
        response.setHeader("Retry-After", Integer.toString(BUSY_RETRY_SECONDS));
        answerError(
            response,
            429,
            RESOURCE_EXHAUSTED,
            "the span buffer is nearly full (TRACING_EXPORTER_BUFFER_SPANS): retry later",
            json);
      }
      case UNAVAILABLE -> {
        response.setHeader("Retry-After", Integer.toString(UNAVAILABLE_RETRY_SECONDS));
        answerError(
            response, 503, UNAVAILABLE, "the span store cannot write now: retry later", json);
      }
      case TOO_MANY ->
          answerError(
              response,
              413,
              RESOURCE_EXHAUSTED,
              "more spans in one request than the span buffer admits at once"
                  + " (TRACING_EXPORTER_BUFFER_SPANS): send smaller batches",
              json);
      case INVALID ->
          answerError(
              response, 400, INVALID_ARGUMENT, "the spans could not be converted to rows", json);
    }
  }

  /** The start of the oldest month kept ({@code TRACING_RETENTION_MONTHS}), in epoch nanos. */
  private long oldestNanos() {
    return SpanPartitions.oldestKept(Instant.now(), retentionMonths).getEpochSecond()
        * 1_000_000_000L;
  }

  private static void tooLarge(HttpServletResponse response, boolean json) throws IOException {
    answerError(
        response,
        413,
        RESOURCE_EXHAUSTED,
        "the body is larger than " + MAX_BODY_BYTES + " bytes (8 MiB), sent or inflated",
        json);
  }

  private static void answerError(
      HttpServletResponse response, int status, int grpcCode, String message, boolean json)
      throws IOException {
    response.setStatus(status);
    answer(response, OtlpCodec.status(grpcCode, message, json), json);
  }

  private static void answer(HttpServletResponse response, byte[] body, boolean json)
      throws IOException {
    response.setContentType(json ? OtlpCodec.JSON : OtlpCodec.PROTOBUF);
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }

  private static boolean isJson(String contentType) {
    return OtlpCodec.JSON.equals(mediaType(contentType));
  }

  /** The media type without parameters, lower case; empty when there is none. */
  static String mediaType(String contentType) {
    if (contentType == null) {
      return "";
    }
    int semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
        .strip()
        .toLowerCase(Locale.ROOT);
  }
}
