package io.aard.ingest;

import com.google.protobuf.ByteString;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * Turns a decoded OTLP export request into {@link SpanData}, refusing the spans that cannot be
 * stored: an invalid trace, span or parent id, an end before the start, a start older than {@code
 * oldestNanos} or more than {@link #MAX_FUTURE_NANOS} ahead, more than {@link #MAX_ATTRIBUTES}
 * attributes or {@link #MAX_EVENTS} events or {@link #MAX_LINKS} links. A refused span is counted
 * and named in the message, never stored.
 *
 * <p>Attribute types map one to one (string, bool, int, double, and arrays of one of them); a
 * {@code bytes} value becomes its base64 text, a map ({@code kvlist}) or mixed array its JSON text.
 */
final class OtlpSpans {

  /** How far ahead of the server's clock a span may start: one hour, for skewed clocks. */
  static final long MAX_FUTURE_NANOS = 3_600_000_000_000L;

  /** Most attributes on one span (or its resource); more makes the span too large. */
  static final int MAX_ATTRIBUTES = 1024;

  /** Most events on one span. */
  static final int MAX_EVENTS = 1024;

  /** Most links on one span. */
  static final int MAX_LINKS = 128;

  private static final HexFormat HEX = HexFormat.of();

  /** The spans to store, how many were refused, and why the first one was. */
  record Converted(List<SpanData> spans, int rejected, String firstReason) {

    /** The {@code partial_success} message: the count and the first reason. */
    String message() {
      return rejected == 0 ? "" : rejected + " span(s) rejected; first: " + firstReason;
    }
  }

  private OtlpSpans() {}

  static Converted convert(ExportTraceServiceRequest request, long nowNanos, long oldestNanos) {
    List<SpanData> spans = new ArrayList<>();
    int rejected = 0;
    String firstReason = null;
    for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
      List<KeyValue> resourceAttributes = resourceSpans.getResource().getAttributesList();
      Resource resource =
          resourceAttributes.size() > MAX_ATTRIBUTES
              ? null
              : Resource.create(
                  attributes(resourceAttributes), emptyToNull(resourceSpans.getSchemaUrl()));
      for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
        InstrumentationScopeInfo scope = scope(scopeSpans.getScope());
        for (Span span : scopeSpans.getSpansList()) {
          String reason =
              resource == null
                  ? "its resource has more than " + MAX_ATTRIBUTES + " attributes"
                  : check(span, nowNanos, oldestNanos);
          if (reason != null) {
            rejected++;
            if (firstReason == null) {
              firstReason = "span " + hexOrLength(span.getSpanId()) + ": " + reason;
            }
            continue;
          }
          spans.add(span(span, scope, resource));
        }
      }
    }
    return new Converted(spans, rejected, firstReason);
  }

  /** Why the span cannot be stored, or {@code null}. */
  static String check(Span span, long nowNanos, long oldestNanos) {
    if (!validId(span.getTraceId(), 16)) {
      return "trace_id must be 16 bytes, not all zero";
    }
    if (!validId(span.getSpanId(), 8)) {
      return "span_id must be 8 bytes, not all zero";
    }
    if (!span.getParentSpanId().isEmpty() && !validId(span.getParentSpanId(), 8)) {
      return "parent_span_id must be empty or 8 bytes, not all zero";
    }
    long start = span.getStartTimeUnixNano();
    long end = span.getEndTimeUnixNano();
    if (end < start) {
      return "end_time_unix_nano is before start_time_unix_nano";
    }
    if (start < oldestNanos) {
      return "start_time_unix_nano is older than the retention (TRACING_RETENTION_MONTHS)";
    }
    if (start > nowNanos + MAX_FUTURE_NANOS) {
      return "start_time_unix_nano is more than an hour in the future";
    }
    if (span.getAttributesCount() > MAX_ATTRIBUTES) {
      return "more than " + MAX_ATTRIBUTES + " attributes";
    }
    if (span.getEventsCount() > MAX_EVENTS) {
      return "more than " + MAX_EVENTS + " events";
    }
    if (span.getLinksCount() > MAX_LINKS) {
      return "more than " + MAX_LINKS + " links";
    }
    for (Span.Link link : span.getLinksList()) {
      if (!validId(link.getTraceId(), 16) || !validId(link.getSpanId(), 8)) {
        return "a link has an invalid trace_id or span_id";
      }
    }
    return null;
  }

  private static SpanData span(Span span, InstrumentationScopeInfo scope, Resource resource) {
    String traceId = HEX.formatHex(span.getTraceId().toByteArray());
    SpanContext context =
        SpanContext.create(
            traceId,
            HEX.formatHex(span.getSpanId().toByteArray()),
            TraceFlags.getSampled(),
            TraceState.getDefault());
    SpanContext parent =
        span.getParentSpanId().isEmpty()
            ? SpanContext.getInvalid()
            : SpanContext.create(
                traceId,
                HEX.formatHex(span.getParentSpanId().toByteArray()),
                TraceFlags.getSampled(),
                TraceState.getDefault());
    List<EventData> events = new ArrayList<>(span.getEventsCount());
    for (Span.Event event : span.getEventsList()) {
      events.add(
          EventData.create(
              event.getTimeUnixNano(),
              event.getName(),
              attributes(event.getAttributesList()),
              event.getAttributesCount() + event.getDroppedAttributesCount()));
    }
    List<LinkData> links = new ArrayList<>(span.getLinksCount());
    for (Span.Link link : span.getLinksList()) {
      links.add(
          LinkData.create(
              SpanContext.create(
                  HEX.formatHex(link.getTraceId().toByteArray()),
                  HEX.formatHex(link.getSpanId().toByteArray()),
                  TraceFlags.getSampled(),
                  TraceState.getDefault()),
              attributes(link.getAttributesList()),
              link.getAttributesCount() + link.getDroppedAttributesCount()));
    }
    return new ReceivedSpan(
        span.getName(),
        kind(span.getKind()),
        context,
        parent,
        status(span.getStatus()),
        span.getStartTimeUnixNano(),
        span.getEndTimeUnixNano(),
        attributes(span.getAttributesList()),
        List.copyOf(events),
        List.copyOf(links),
        span.getAttributesCount() + span.getDroppedAttributesCount(),
        span.getEventsCount() + span.getDroppedEventsCount(),
        span.getLinksCount() + span.getDroppedLinksCount(),
        scope,
        resource);
  }

  private static InstrumentationScopeInfo scope(InstrumentationScope scope) {
    var builder = InstrumentationScopeInfo.builder(scope.getName());
    if (!scope.getVersion().isEmpty()) {
      builder.setVersion(scope.getVersion());
    }
    if (scope.getAttributesCount() > 0 && scope.getAttributesCount() <= MAX_ATTRIBUTES) {
      builder.setAttributes(attributes(scope.getAttributesList()));
    }
    return builder.build();
  }

  private static SpanKind kind(Span.SpanKind kind) {
    return switch (kind) {
      case SPAN_KIND_SERVER -> SpanKind.SERVER;
      case SPAN_KIND_CLIENT -> SpanKind.CLIENT;
      case SPAN_KIND_PRODUCER -> SpanKind.PRODUCER;
      case SPAN_KIND_CONSUMER -> SpanKind.CONSUMER;
      default -> SpanKind.INTERNAL;
    };
  }

  private static StatusData status(io.opentelemetry.proto.trace.v1.Status status) {
    StatusCode code =
        switch (status.getCode()) {
          case STATUS_CODE_OK -> StatusCode.OK;
          case STATUS_CODE_ERROR -> StatusCode.ERROR;
          default -> StatusCode.UNSET;
        };
    return StatusData.create(code, status.getMessage());
  }

  /** Each value with its own type; a key seen twice keeps its last value, as the SDK does. */
  static Attributes attributes(List<KeyValue> keyValues) {
    if (keyValues.isEmpty()) {
      return Attributes.empty();
    }
    AttributesBuilder out = Attributes.builder();
    for (KeyValue keyValue : keyValues) {
      String key = keyValue.getKey();
      if (key.isEmpty()) {
        continue;
      }
      AnyValue value = keyValue.getValue();
      switch (value.getValueCase()) {
        case STRING_VALUE -> out.put(key, value.getStringValue());
        case BOOL_VALUE -> out.put(key, value.getBoolValue());
        case INT_VALUE -> out.put(key, value.getIntValue());
        case DOUBLE_VALUE -> out.put(key, value.getDoubleValue());
        case BYTES_VALUE ->
            out.put(key, Base64.getEncoder().encodeToString(value.getBytesValue().toByteArray()));
        case ARRAY_VALUE -> putArray(out, key, value.getArrayValue().getValuesList());
        case KVLIST_VALUE -> out.put(key, json(value));
        default -> {
          // An empty value: nothing to keep.
        }
      }
    }
    return out.build();
  }

  private static void putArray(AttributesBuilder out, String key, List<AnyValue> values) {
    AnyValue.ValueCase type =
        values.isEmpty() ? AnyValue.ValueCase.STRING_VALUE : values.get(0).getValueCase();
    for (AnyValue value : values) {
      if (value.getValueCase() != type) {
        out.put(
            key,
            json(
                AnyValue.newBuilder()
                    .setArrayValue(
                        io.opentelemetry.proto.common.v1.ArrayValue.newBuilder()
                            .addAllValues(values))
                    .build()));
        return;
      }
    }
    switch (type) {
      case STRING_VALUE ->
          out.put(
              AttributeKey.stringArrayKey(key),
              values.stream().map(AnyValue::getStringValue).toList());
      case BOOL_VALUE ->
          out.put(
              AttributeKey.booleanArrayKey(key),
              values.stream().map(AnyValue::getBoolValue).toList());
      case INT_VALUE ->
          out.put(
              AttributeKey.longArrayKey(key), values.stream().map(AnyValue::getIntValue).toList());
      case DOUBLE_VALUE ->
          out.put(
              AttributeKey.doubleArrayKey(key),
              values.stream().map(AnyValue::getDoubleValue).toList());
      default ->
          out.put(
              key,
              json(
                  AnyValue.newBuilder()
                      .setArrayValue(
                          io.opentelemetry.proto.common.v1.ArrayValue.newBuilder()
                              .addAllValues(values))
                      .build()));
    }
  }

  /** A value as plain JSON: a map as an object, an array as an array, bytes as base64 text. */
  static String json(AnyValue value) {
    StringBuilder out = new StringBuilder();
    appendJson(out, value, 0);
    return out.toString();
  }

  private static void appendJson(StringBuilder out, AnyValue value, int depth) {
    if (depth > 16) {
      // Nesting this deep is no telemetry; a bound keeps a hostile value from exhausting the stack.
      out.append("null");
      return;
    }
    switch (value.getValueCase()) {
      case STRING_VALUE -> AttributesJson.appendString(out, value.getStringValue());
      case BOOL_VALUE -> out.append(value.getBoolValue());
      case INT_VALUE -> out.append(value.getIntValue());
      case DOUBLE_VALUE -> {
        double d = value.getDoubleValue();
        if (Double.isFinite(d)) {
          out.append(d);
        } else {
          AttributesJson.appendString(out, Double.toString(d));
        }
      }
      case BYTES_VALUE ->
          AttributesJson.appendString(
              out, Base64.getEncoder().encodeToString(value.getBytesValue().toByteArray()));
      case ARRAY_VALUE -> {
        out.append('[');
        List<AnyValue> values = value.getArrayValue().getValuesList();
        for (int i = 0; i < values.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          appendJson(out, values.get(i), depth + 1);
        }
        out.append(']');
      }
      case KVLIST_VALUE -> {
        out.append('{');
        List<KeyValue> values = value.getKvlistValue().getValuesList();
        for (int i = 0; i < values.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          AttributesJson.appendString(out, values.get(i).getKey());
          out.append(':');
          appendJson(out, values.get(i).getValue(), depth + 1);
        }
        out.append('}');
      }
      default -> out.append("null");
    }
  }

  private static boolean validId(ByteString id, int length) {
    if (id.size() != length) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      if (id.byteAt(i) != 0) {
        return true;
      }
    }
    return false;
  }

  private static String hexOrLength(ByteString id) {
    return id.size() == 8
        ? HEX.formatHex(id.toByteArray())
        : "(span_id of " + id.size() + " bytes)";
  }

  private static String emptyToNull(String text) {
    return text.isEmpty() ? null : text;
  }
}
