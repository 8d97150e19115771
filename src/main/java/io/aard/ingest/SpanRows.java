package io.aard.ingest;

import io.aard.pricing.PriceTable;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Turns finished spans into rows of {@code execution_traces}. The id columns come from the {@code
 * aard.*} attributes, else the original system's bare keys ({@code task_id}, ...), else the GenAI
 * conventions ({@code gen_ai.agent.id}; {@code gen_ai.tool.name} through the tool registry's
 * names). Any id up to {@value #MAX_ID_CHARS} characters fills its column, UUID or not (ids from
 * other systems, received by OTLP, are rarely UUIDs); a UUID is stored in lower case, a longer
 * value stays in {@code attributes} only. The GenAI columns (model, session, cost) are {@link
 * GenAiColumns}'s, priced with the price table current when the span is converted.
 */
final class SpanRows {

  private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
  private static final List<AttributeKey<String>> TASK_KEYS = keys("aard.task_id", "task_id");
  private static final List<AttributeKey<String>> PLAN_KEYS = keys("aard.plan_id", "plan_id");
  private static final List<AttributeKey<String>> AGENT_KEYS =
      keys("aard.agent_id", "agent_id", "gen_ai.agent.id");
  private static final List<AttributeKey<String>> TOOL_KEYS = keys("aard.tool_id", "tool_id");
  private static final AttributeKey<String> TOOL_NAME = AttributeKey.stringKey("gen_ai.tool.name");
  private static final String INPUT_TOKENS = "gen_ai.usage.input_tokens";
  private static final String OUTPUT_TOKENS = "gen_ai.usage.output_tokens";

  /** The attribute that holds a span's links. */
  static final String LINKS = "aard.links";

  static final String SCOPE_NAME = "otel.scope.name";
  static final String SCOPE_VERSION = "otel.scope.version";

  /** Longest id kept in an id column; the trace API's id filters accept as long. */
  static final int MAX_ID_CHARS = 256;

  private static final Pattern DIGITS = Pattern.compile("\\d{1,18}");

  private final Map<String, UUID> toolIdsByName;
  private final Supplier<PriceTable> prices;

  /**
   * The JSON of the last resource seen. A process has one resource, so its JSON is written once and
   * every buffered row shares the one string, instead of a copy per span.
   */
  private volatile ResourceJson lastResource;

  private record ResourceJson(Resource resource, String json) {}

  /**
   * @param toolIdsByName the tool registry's ids by name, to fill {@code tool_id} from {@code
   *     gen_ai.tool.name}
   */
  SpanRows(Map<String, UUID> toolIdsByName) {
    this(toolIdsByName, () -> PriceTable.EMPTY);
  }

  /**
   * @param toolIdsByName as above
   * @param prices the price table of the moment, read for every span (a plain read, no query)
   */
  SpanRows(Map<String, UUID> toolIdsByName, Supplier<PriceTable> prices) {
    this.toolIdsByName = Map.copyOf(toolIdsByName);
    this.prices = prices;
  }

  SpanRow row(SpanData span) {
    return row(span, false);
  }

  /**
   * @param received the span came by OTLP: its instrumentation scope is kept too (AARD's own spans
   *     all have AARD's)
   */
  SpanRow row(SpanData span, boolean received) {
    Attributes attributes = span.getAttributes();
    String parent = span.getParentSpanId();
    String serviceName = span.getResource().getAttribute(SERVICE_NAME);
    long start = span.getStartEpochNanos();
    long end = Math.max(span.getEndEpochNanos(), start);
    String statusMessage = span.getStatus().getDescription();
    String toolId = id(attributes, TOOL_KEYS);
    if (toolId == null) {
      String toolName = attributes.get(TOOL_NAME);
      UUID known = toolName == null ? null : toolIdsByName.get(toolName);
      toolId = known == null ? null : known.toString();
    }
    Long inputTokens = longValue(attributes, INPUT_TOKENS);
    Long outputTokens = longValue(attributes, OUTPUT_TOKENS);
    GenAiColumns.Values genAi =
        GenAiColumns.of(attributes, inputTokens, outputTokens, prices.get());
    return new SpanRow(
        span.getTraceId(),
        span.getSpanId(),
        SpanId.isValid(parent) ? parent : null,
        clean(span.getName()),
        clean(serviceName == null ? "unknown" : serviceName),
        span.getKind().name(),
        time(start),
        time(end),
        Double.toString((end - start) / 1_000_000.0),
        span.getStatus().getStatusCode().name(),
        statusMessage == null || statusMessage.isEmpty() ? null : clean(statusMessage),
        id(attributes, TASK_KEYS),
        id(attributes, PLAN_KEYS),
        id(attributes, AGENT_KEYS),
        toolId,
        inputTokens == null ? null : inputTokens.toString(),
        outputTokens == null ? null : outputTokens.toString(),
        attributes(span, received),
        events(span.getEvents()),
        resourceJson(span.getResource()),
        genAi.model(),
        genAi.sessionId(),
        genAi.costUsd());
  }

  /**
   * The span's attributes, plus what the table has no column for: its links as {@value #LINKS}
   * (trace id, span id and attributes of each), and, for a span received by OTLP, its
   * instrumentation scope as {@value #SCOPE_NAME} and {@value #SCOPE_VERSION} (the names the
   * OpenTelemetry exporters to non-OTLP formats use). AARD's own spans all have AARD's scope.
   */
  private static String attributes(SpanData span, boolean received) {
    List<LinkData> links = span.getLinks();
    InstrumentationScopeInfo scope = received ? span.getInstrumentationScopeInfo() : null;
    if (links.isEmpty() && (scope == null || scope.getName().isEmpty())) {
      return AttributesJson.object(span.getAttributes());
    }
    StringBuilder out = new StringBuilder(128 + span.getAttributes().size() * 48);
    AttributesJson.appendObject(out, span.getAttributes());
    out.setLength(out.length() - 1);
    boolean empty = out.length() == 1;
    if (scope != null && !scope.getName().isEmpty()) {
      out.append(empty ? "" : ",").append('"').append(SCOPE_NAME).append("\":");
      AttributesJson.appendString(out, scope.getName());
      empty = false;
      if (scope.getVersion() != null) {
        out.append(",\"").append(SCOPE_VERSION).append("\":");
        AttributesJson.appendString(out, scope.getVersion());
      }
    }
    if (!links.isEmpty()) {
      out.append(empty ? "" : ",").append('"').append(LINKS).append("\":[");
      for (int i = 0; i < links.size(); i++) {
        LinkData link = links.get(i);
        out.append(i > 0 ? "," : "")
            .append("{\"trace_id\":\"")
            .append(link.getSpanContext().getTraceId())
            .append("\",\"span_id\":\"")
            .append(link.getSpanContext().getSpanId())
            .append("\",\"attributes\":");
        AttributesJson.appendObject(out, link.getAttributes());
        out.append('}');
      }
      out.append(']');
    }
    return out.append('}').toString();
  }

  private String resourceJson(Resource resource) {
    ResourceJson cached = lastResource;
    if (cached == null || cached.resource() != resource) {
      cached = new ResourceJson(resource, AttributesJson.object(resource.getAttributes()));
      lastResource = cached;
    }
    return cached.json();
  }

  private static List<AttributeKey<String>> keys(String... names) {
    return Arrays.stream(names).map(AttributeKey::stringKey).toList();
  }

  private static String events(List<EventData> events) {
    if (events.isEmpty()) {
      return "[]";
    }
    StringBuilder out = new StringBuilder(128 * events.size());
    out.append('[');
    for (int i = 0; i < events.size(); i++) {
      EventData event = events.get(i);
      if (i > 0) {
        out.append(',');
      }
      out.append("{\"name\":");
      AttributesJson.appendString(out, event.getName());
      out.append(",\"time\":\"").append(time(event.getEpochNanos())).append("\",\"attributes\":");
      AttributesJson.appendObject(out, event.getAttributes());
      out.append('}');
    }
    return out.append(']').toString();
  }

  /** ISO-8601 UTC with microseconds, the column's precision. */
  static String time(long epochNanos) {
    long micros = epochNanos / 1_000;
    return Instant.ofEpochSecond(micros / 1_000_000, (micros % 1_000_000) * 1_000).toString();
  }

  private static String id(Attributes attributes, List<AttributeKey<String>> keys) {
    for (AttributeKey<String> key : keys) {
      String value = idValue(attributes.get(key));
      if (value != null) {
        return value;
      }
    }
    return null;
  }

  /**
   * An id as an id column stores it: a UUID in lower case, any other id of at most {@value
   * #MAX_ID_CHARS} characters as it is; {@code null} when absent, blank or longer.
   */
  static String idValue(String value) {
    if (value == null || value.isBlank() || value.length() > MAX_ID_CHARS) {
      return null;
    }
    return isUuid(value) ? value.toLowerCase(java.util.Locale.ROOT) : clean(value);
  }

  /** A whole-number attribute, given as a number or as the text of one; else {@code null}. */
  static Long longValue(Attributes attributes, String key) {
    Long value = attributes.get(AttributeKey.longKey(key));
    if (value != null) {
      return value;
    }
    String text = attributes.get(AttributeKey.stringKey(key));
    if (text != null && DIGITS.matcher(text).matches()) {
      return Long.parseLong(text);
    }
    return null;
  }

  static boolean isUuid(String value) {
    if (value.length() != 36) {
      return false;
    }
    for (int i = 0; i < 36; i++) {
      char c = value.charAt(i);
      boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
      if (dash ? c != '-' : Character.digit(c, 16) < 0) {
        return false;
      }
    }
    return true;
  }

  /** PostgreSQL text cannot hold NUL. */
  static String clean(String text) {
    return text.indexOf('\u0000') < 0 ? text : text.replace('\u0000', '\ufffd');
  }
}
