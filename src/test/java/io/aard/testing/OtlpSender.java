package io.aard.testing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.trace.TestSpanData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Sends spans to the server under test as another service's SDK would: the OpenTelemetry Java SDK's
 * own OTLP/HTTP exporter (protobuf, gzip), with the API key the tests use, if any.
 */
public final class OtlpSender implements AutoCloseable {

  private final OtlpHttpSpanExporter exporter;

  public OtlpSender(Api api) {
    OtlpHttpSpanExporterBuilder builder =
        OtlpHttpSpanExporter.builder()
            .setEndpoint(api.uri("/v1/traces").toString())
            .setCompression("gzip");
    String key = System.getProperty(Api.API_KEY_PROPERTY);
    if (key != null && !key.isBlank()) {
      builder.addHeader("Authorization", "Bearer " + key);
    }
    exporter = builder.build();
  }

  /** Sends the spans in one request; fails the test unless the server accepted them. */
  public void send(Collection<SpanData> spans) {
    if (!exporter.export(spans).join(60, TimeUnit.SECONDS).isSuccess()) {
      throw new AssertionError("the server did not accept " + spans.size() + " spans");
    }
  }

  @Override
  public void close() {
    exporter.close();
  }

  /** A random trace id, 32 lower-case hex characters. */
  public static String traceId() {
    return HexFormat.of().formatHex(randomBytes(16));
  }

  /** A random span id, 16 lower-case hex characters. */
  public static String spanId() {
    return HexFormat.of().formatHex(randomBytes(8));
  }

  /**
   * A finished span of {@code service}, its status unset.
   *
   * @param parentSpanId {@code null} for a root
   */
  public static SpanData span(
      String service,
      String traceId,
      String spanId,
      String parentSpanId,
      String name,
      Instant start,
      Duration duration,
      Attributes attributes) {
    return span(
        service,
        traceId,
        spanId,
        parentSpanId,
        name,
        start,
        duration,
        attributes,
        StatusData.unset());
  }

  /** A finished span of {@code service} with a status. */
  public static SpanData span(
      String service,
      String traceId,
      String spanId,
      String parentSpanId,
      String name,
      Instant start,
      Duration duration,
      Attributes attributes,
      StatusData status) {
    var builder =
        TestSpanData.builder()
            .setSpanContext(context(traceId, spanId))
            .setName(name)
            .setKind(parentSpanId == null ? SpanKind.SERVER : SpanKind.CLIENT)
            .setStartEpochNanos(nanos(start))
            .setEndEpochNanos(nanos(start.plus(duration)))
            .setStatus(status)
            .setHasEnded(true)
            .setTotalRecordedEvents(0)
            .setTotalRecordedLinks(0)
            .setAttributes(attributes)
            .setTotalAttributeCount(attributes.size())
            .setResource(
                Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), service)));
    if (parentSpanId != null) {
      builder.setParentSpanContext(context(traceId, parentSpanId));
    }
    return builder.build();
  }

  /** Now, to the microsecond the span store keeps. */
  public static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MICROS);
  }

  private static long nanos(Instant at) {
    return ChronoUnit.NANOS.between(Instant.EPOCH, at);
  }

  private static SpanContext context(String traceId, String spanId) {
    return SpanContext.create(traceId, spanId, TraceFlags.getSampled(), TraceState.getDefault());
  }

  private static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    ThreadLocalRandom.current().nextBytes(bytes);
    bytes[0] |= 1;
    return bytes;
  }
}
