package io.aard.tracing;

import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * AARD's tracing keys of docs/api.md §2 and their translation into the {@code otel.*} properties of
 * the OpenTelemetry SDK. Pure: it takes a lookup function, so it is used both by the config source
 * that feeds the SDK and by the start-up check, and is unit-tested without a server.
 */
public final class TracingSettings {

  public static final String ENABLE_TRACING = "ENABLE_TRACING";
  public static final String SERVICE_NAME = "TRACING_SERVICE_NAME";
  public static final String EXPORTER = "TRACING_EXPORTER";
  public static final String OTLP_ENDPOINT = "TRACING_OTLP_ENDPOINT";
  public static final String RETENTION_MONTHS = "TRACING_RETENTION_MONTHS";
  public static final String BUFFER_SPANS = "TRACING_EXPORTER_BUFFER_SPANS";
  public static final String MAX_ATTRIBUTE_LENGTH = "TRACING_MAX_ATTRIBUTE_LENGTH";
  public static final String REDACT_ATTRIBUTES = "TRACING_REDACT_ATTRIBUTES";
  public static final String TRACE_VIEWER = "TRACING_TRACE_VIEWER";
  public static final String DB_STATEMENTS = "TRACING_DB_STATEMENTS";

  static final String DEFAULT_SERVICE_NAME = "aard";
  static final String DEFAULT_EXPORTER = "console";
  static final int DEFAULT_RETENTION_MONTHS = 6;
  public static final int DEFAULT_BUFFER_SPANS = 20_000;

  /**
   * How long each exporter's batch processor gathers spans before it exports them, in ms ({@code
   * otel.bsp.schedule.delay}; the SDK's default is 5,000). At 1,000 ms the database exporter wrote
   * a burst of some 270 rows a second under the overhead benchmark's load, each burst one insert
   * that maintains the span table's indexes while platform requests wait for the same disk and
   * cores; at 200 ms the same rows go in five smaller, steadier batches a second. An {@code
   * OTEL_BSP_SCHEDULE_DELAY} (or {@code otel.bsp.schedule.delay}) set directly wins.
   */
  static final int DEFAULT_SCHEDULE_DELAY_MILLIS = 200;

  /** The SDK property that {@code TRACING_EXPORTER_BUFFER_SPANS} becomes. */
  public static final String DATABASE_BUFFER_SPANS = "otel.exporter.database.buffer.spans";

  /**
   * The SDK's own limit on an attribute value, applied when it is recorded: four times {@code
   * TRACING_MAX_ATTRIBUTE_LENGTH}, so that a huge value never sits whole in a span in memory, yet
   * the sanitizer still sees that it was too long and marks it truncated.
   */
  static final String SPAN_VALUE_LENGTH_LIMIT = "otel.span.attribute.value.length.limit";

  static final int DEFAULT_MAX_ATTRIBUTE_LENGTH = SpanSanitizer.DEFAULT_MAX_LENGTH;
  static final String DEFAULT_REDACT_ATTRIBUTES = String.join(",", SpanSanitizer.DEFAULT_REDACTED);

  /** Every {@code otel.*} key that {@link #otelProperties} may set. */
  static final Set<String> OTEL_KEYS =
      Set.of(
          "otel.metrics.exporter",
          "otel.logs.exporter",
          "otel.sdk.disabled",
          "otel.service.name",
          "otel.traces.exporter",
          "otel.bsp.schedule.delay",
          "otel.exporter.otlp.traces.endpoint",
          "otel.exporter.otlp.traces.protocol",
          DATABASE_BUFFER_SPANS,
          SPAN_VALUE_LENGTH_LIMIT,
          "otel.span.event.count.limit",
          TracingCustomizer.DISABLED_RESOURCE_KEYS,
          ReadRequestSampler.PROPERTY,
          SpanSanitizer.MAX_LENGTH_PROPERTY,
          SpanSanitizer.REDACT_PROPERTY);

  static final Set<String> EXPORTERS = Set.of("console", "otlp", "database");

  private final boolean enabled;
  private final String serviceName;
  private final List<String> exporters;
  private final String otlpEndpoint;
  private final int retentionMonths;
  private final int bufferSpans;
  private final int maxAttributeLength;
  private final List<String> redactAttributes;
  private final boolean traceViewer;
  private final boolean databaseStatements;

  private TracingSettings(
      boolean enabled,
      String serviceName,
      List<String> exporters,
      String otlpEndpoint,
      int retentionMonths,
      int bufferSpans,
      int maxAttributeLength,
      List<String> redactAttributes,
      boolean traceViewer,
      boolean databaseStatements) {
    this.databaseStatements = databaseStatements;
    this.traceViewer = traceViewer;
    this.bufferSpans = bufferSpans;
    this.maxAttributeLength = maxAttributeLength;
    this.redactAttributes = List.copyOf(redactAttributes);
    this.enabled = enabled;
    this.serviceName = serviceName;
    this.exporters = List.copyOf(exporters);
    this.otlpEndpoint = otlpEndpoint;
    this.retentionMonths = retentionMonths;
  }

  /**
   * Reads and checks the settings.
   *
   * @param lookup returns a key's configured value, or {@code null}
   * @throws IllegalArgumentException naming the key, the bad value and what is accepted
   */
  public static TracingSettings read(Function<String, String> lookup) {
    boolean enabled = bool(ENABLE_TRACING, lookup.apply(ENABLE_TRACING), true);
    String serviceName = orDefault(lookup.apply(SERVICE_NAME), DEFAULT_SERVICE_NAME);
    List<String> exporters = exporters(orDefault(lookup.apply(EXPORTER), DEFAULT_EXPORTER));
    String endpoint = blankToNull(lookup.apply(OTLP_ENDPOINT));
    if (exporters.contains("otlp") && endpoint == null) {
      throw new IllegalArgumentException(
          OTLP_ENDPOINT
              + " is required when "
              + EXPORTER
              + " holds otlp, e.g. http://localhost:4318/v1/traces");
    }
    if (endpoint != null) {
      checkUrl(endpoint);
    }
    int retention =
        positiveInt(RETENTION_MONTHS, lookup.apply(RETENTION_MONTHS), DEFAULT_RETENTION_MONTHS);
    int buffer = positiveInt(BUFFER_SPANS, lookup.apply(BUFFER_SPANS), DEFAULT_BUFFER_SPANS);
    int maxLength =
        positiveInt(
            MAX_ATTRIBUTE_LENGTH, lookup.apply(MAX_ATTRIBUTE_LENGTH), DEFAULT_MAX_ATTRIBUTE_LENGTH);
    List<String> redact =
        redactNames(orDefault(lookup.apply(REDACT_ATTRIBUTES), DEFAULT_REDACT_ATTRIBUTES));
    boolean traceViewer = bool(TRACE_VIEWER, lookup.apply(TRACE_VIEWER), false);
    boolean databaseStatements = bool(DB_STATEMENTS, lookup.apply(DB_STATEMENTS), true);
    return new TracingSettings(
        enabled,
        serviceName,
        exporters,
        endpoint,
        retention,
        buffer,
        maxLength,
        redact,
        traceViewer,
        databaseStatements);
  }

  /**
   * The {@code otel.*} properties these settings mean. An unreadable configuration yields the SDK
   * turned off, so that the start-up check, not the SDK, reports it.
   */
  public static java.util.Map<String, String> otelProperties(Function<String, String> lookup) {
    var props = new java.util.HashMap<String, String>();
    props.put("otel.metrics.exporter", "none");
    props.put("otel.logs.exporter", "none");
    TracingSettings settings;
    try {
      settings = read(lookup);
    } catch (IllegalArgumentException e) {
      props.put("otel.sdk.disabled", "true");
      props.put("otel.traces.exporter", "none");
      return props;
    }
    props.put("otel.sdk.disabled", Boolean.toString(!settings.enabled));
    props.put("otel.service.name", settings.serviceName);
    // AARD's exporter names are the SDK's: the SDK Liberty ships (1.48 with mpTelemetry-2.1)
    // registers console and otlp, and AARD's WAR registers database.
    props.put("otel.traces.exporter", String.join(",", settings.exporters));
    props.put("otel.bsp.schedule.delay", Integer.toString(DEFAULT_SCHEDULE_DELAY_MILLIS));
    // The JVM's whole command line (about 3 KB under Liberty) would be stored with every span, and
    // with it any -D secret; the pid, runtime and executable still identify the process.
    props.put(
        TracingCustomizer.DISABLED_RESOURCE_KEYS, "process.command_line,process.command_args");
    props.put(DATABASE_BUFFER_SPANS, Integer.toString(settings.bufferSpans));
    props.put(SpanSanitizer.MAX_LENGTH_PROPERTY, Integer.toString(settings.maxAttributeLength));
    props.put(
        SPAN_VALUE_LENGTH_LIMIT,
        Integer.toString((int) Math.min(Integer.MAX_VALUE, 4L * settings.maxAttributeLength)));
    // Events too are kept in memory until export: at most 128 per span (the attribute count
    // limit is the SDK's default, 128, already).
    props.put("otel.span.event.count.limit", "128");
    props.put(SpanSanitizer.REDACT_PROPERTY, String.join(",", settings.redactAttributes));
    props.put(ReadRequestSampler.PROPERTY, Boolean.toString(settings.traceViewer));
    if (settings.otlpEndpoint != null) {
      props.put("otel.exporter.otlp.traces.endpoint", settings.otlpEndpoint);
      props.put("otel.exporter.otlp.traces.protocol", "http/protobuf");
    }
    return props;
  }

  public boolean enabled() {
    return enabled;
  }

  public String serviceName() {
    return serviceName;
  }

  public List<String> exporters() {
    return exporters;
  }

  public String otlpEndpoint() {
    return otlpEndpoint;
  }

  public int retentionMonths() {
    return retentionMonths;
  }

  /** Spans the database exporter keeps while PostgreSQL is unreachable. */
  public int bufferSpans() {
    return bufferSpans;
  }

  /** Longest attribute value, in chars, that leaves the process uncut. */
  public int maxAttributeLength() {
    return maxAttributeLength;
  }

  /** Attribute names whose values are hidden; lower case, a trailing {@code *} matches a prefix. */
  public List<String> redactAttributes() {
    return redactAttributes;
  }

  /**
   * Whether the platform's SQL statements become database spans ({@code TRACING_DB_STATEMENTS}).
   */
  public boolean databaseStatements() {
    return databaseStatements;
  }

  /** Whether spans go to AARD's own table. */
  public boolean toDatabase() {
    return enabled && exporters.contains("database");
  }

  private static List<String> exporters(String raw) {
    var names = new LinkedHashSet<String>();
    // -1 keeps trailing empty parts, so that "database," is rejected rather than read as one name
    for (String part : raw.split(",", -1)) {
      String name = part.trim().toLowerCase(Locale.ROOT);
      if (!EXPORTERS.contains(name)) {
        throw new IllegalArgumentException(
            EXPORTER
                + "='"
                + raw
                + "' is not accepted"
                + (name.isEmpty() ? " (an empty name)" : " ('" + part.trim() + "' is unknown)")
                + ": use console, otlp, database, or a comma list of them");
      }
      names.add(name);
    }
    return List.copyOf(names);
  }

  private static List<String> redactNames(String raw) {
    var names = new LinkedHashSet<String>();
    for (String part : raw.split(",")) {
      String name = part.trim().toLowerCase(Locale.ROOT);
      if (name.isEmpty()) {
        continue;
      }
      if (!SpanSanitizer.isValidName(name)) {
        throw new IllegalArgumentException(
            REDACT_ATTRIBUTES
                + "='"
                + raw
                + "' is not accepted ('"
                + part.trim()
                + "'): use a comma list of attribute or header names, e.g. "
                + DEFAULT_REDACT_ATTRIBUTES
                + "; a trailing * matches a prefix");
      }
      names.add(name);
    }
    return List.copyOf(names);
  }

  private static void checkUrl(String endpoint) {
    try {
      URI uri = new URI(endpoint);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
        return;
      }
    } catch (java.net.URISyntaxException e) {
      // falls through to the message below
    }
    throw new IllegalArgumentException(
        OTLP_ENDPOINT
            + "='"
            + endpoint
            + "' is not an http(s) URL, e.g. http://localhost:4318/v1/traces");
  }

  private static boolean bool(String key, String raw, boolean fallback) {
    String value = blankToNull(raw);
    if (value == null) {
      return fallback;
    }
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default ->
          throw new IllegalArgumentException(
              key + "='" + raw + "' is not accepted: use true or false");
    };
  }

  private static int positiveInt(String key, String raw, int fallback) {
    String value = blankToNull(raw);
    if (value == null) {
      return fallback;
    }
    try {
      int parsed = Integer.parseInt(value.trim());
      if (parsed > 0) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // falls through to the message below
    }
    throw new IllegalArgumentException(
        key + "='" + raw + "' is not accepted: use a whole number above 0");
  }

  private static String orDefault(String raw, String fallback) {
    String value = blankToNull(raw);
    return value == null ? fallback : value.trim();
  }

  private static String blankToNull(String raw) {
    return raw == null || raw.isBlank() ? null : raw;
  }
}
