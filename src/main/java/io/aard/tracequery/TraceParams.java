package io.aard.tracequery;

import io.aard.security.RequestLimitFilter;
import io.aard.web.ApiException;
import io.aard.web.Params;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads and validates the query parameters of the trace API. Every failure is a 400 that names the
 * parameter and says what is accepted; an unknown parameter is refused too, so that a typo never
 * silently widens a search.
 */
final class TraceParams {

  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 500;
  static final Duration DEFAULT_STATS_WINDOW = Duration.ofHours(24);

  /** The same limit RequestLimitFilter applies to every query value, for callers outside JAX-RS. */
  static final int MAX_TEXT_LENGTH = RequestLimitFilter.MAX_PARAMETER_CHARS;

  static final String TASK_ID = "task_id";
  static final String PLAN_ID = "plan_id";
  static final String AGENT_ID = "agent_id";
  static final String TOOL_ID = "tool_id";
  static final String SESSION_ID = "session_id";
  static final String STATUS = "status";
  static final String OPERATION_NAME = "operation_name";
  static final String SERVICE_NAME = "service_name";
  static final String START_TIME_FROM = "start_time_from";
  static final String START_TIME_TO = "start_time_to";
  static final String MIN_DURATION_MS = "min_duration_ms";
  static final String MAX_DURATION_MS = "max_duration_ms";
  static final String ATTRIBUTE = AttributeFilter.PARAMETER;
  static final String LIMIT = "limit";
  static final String CURSOR = TraceCursor.PARAMETER;
  static final String GROUP_BY = "group_by";

  private static final List<String> FILTERS =
      List.of(
          TASK_ID,
          PLAN_ID,
          AGENT_ID,
          TOOL_ID,
          SESSION_ID,
          STATUS,
          OPERATION_NAME,
          SERVICE_NAME,
          START_TIME_FROM,
          START_TIME_TO,
          MIN_DURATION_MS,
          MAX_DURATION_MS,
          ATTRIBUTE);
  private static final Set<String> SEARCH = union(FILTERS, LIMIT, CURSOR);
  private static final Set<String> STATS = union(FILTERS, GROUP_BY);
  private static final Set<String> SPANS = new TreeSet<>(List.of(LIMIT, CURSOR));
  private static final Set<String> SESSIONS = union(List.of(), LIMIT, CURSOR);

  /**
   * What a cursor of {@code GET /api/sessions} is bound to: no trace search has this fingerprint,
   * so that the cursors of the two lists cannot be swapped.
   */
  static final String SESSIONS_FINGERPRINT = "sessions";

  private static final Pattern TRACE_ID = Pattern.compile("[0-9a-fA-F]{32}");

  private TraceParams() {}

  /**
   * A validated trace search.
   *
   * @param filter what the traces must match
   * @param limit the page size, 1 to 500
   * @param after the position to continue after, or {@code null} for the first page
   */
  record Search(TraceFilter filter, int limit, TraceCursor.Position after) {}

  /**
   * A validated statistics request; its filter always has both ends of the window.
   *
   * @param filter the spans to count
   * @param groupBy the column of the groups
   */
  record Stats(TraceFilter filter, GroupBy groupBy) {}

  /**
   * A validated page request of a trace's spans.
   *
   * @param limit the page size, 1 to {@code TRACE_READ_MAX_SPANS}
   * @param after the span to continue after, or {@code null} for the first page
   */
  record Spans(int limit, TraceCursor.SpanPosition after) {}

  /** {@code GET /api/traces/}. */
  static Search search(Map<String, List<String>> query) {
    checkNames(query, SEARCH);
    TraceFilter filter = filter(query);
    int limit = Params.intInRange(LIMIT, single(query, LIMIT), DEFAULT_LIMIT, 1, MAX_LIMIT);
    String cursor = single(query, CURSOR);
    TraceCursor.Position after =
        cursor == null || cursor.isEmpty()
            ? null
            : TraceCursor.decode(cursor, filter.fingerprint());
    return new Search(filter, limit, after);
  }

  /**
   * {@code GET /api/traces/{trace_id}/spans} of the (validated) {@code traceId}: {@code limit} 1 to
   * {@code maxSpans} (default {@code maxSpans}), and a {@code cursor} of this trace.
   */
  static Spans spans(Map<String, List<String>> query, String traceId, int maxSpans) {
    checkNames(query, SPANS);
    int limit = Params.intInRange(LIMIT, single(query, LIMIT), maxSpans, 1, maxSpans);
    String cursor = single(query, CURSOR);
    TraceCursor.SpanPosition after =
        cursor == null || cursor.isEmpty() ? null : TraceCursor.decodeSpan(cursor, traceId);
    return new Spans(limit, after);
  }

  /**
   * {@code GET /api/traces/stats/summary}; a missing end of the window is filled in from now. A
   * window that starts before {@code oldestKept} (what retention keeps) starts there instead, and
   * one that ends before it too is empty ({@code from} = {@code to}): the answer's {@code from}
   * says which instant was used.
   */
  static Stats stats(Map<String, List<String>> query, Instant now, Instant oldestKept) {
    checkNames(query, STATS);
    TraceFilter f = filter(query);
    Instant to = f.to() != null ? f.to() : now;
    Instant asked = f.from() != null ? f.from() : to.minus(DEFAULT_STATS_WINDOW);
    if (asked.isAfter(to)) {
      throw ApiException.badRequest(
          START_TIME_FROM, "start_time_from must not be after start_time_to (default: now)");
    }
    Instant from = asked.isBefore(oldestKept) ? min(oldestKept, to) : asked;
    TraceFilter window =
        new TraceFilter(
            f.taskId(),
            f.planId(),
            f.agentId(),
            f.toolId(),
            f.sessionId(),
            f.status(),
            f.operationName(),
            f.serviceName(),
            f.attributes(),
            from,
            to,
            f.minDurationMs(),
            f.maxDurationMs());
    GroupBy groupBy = Params.enumValue(GROUP_BY, single(query, GROUP_BY), GroupBy.class);
    return new Stats(window, groupBy == null ? GroupBy.OPERATION_NAME : groupBy);
  }

  /**
   * A validated {@code GET /api/sessions}.
   *
   * @param limit the page size, 1 to 500
   * @param after the position to continue after, or {@code null} for the first page
   */
  record Sessions(int limit, TraceCursor.Position after) {}

  /** {@code GET /api/sessions}: {@code limit} and {@code cursor}. */
  static Sessions sessions(Map<String, List<String>> query) {
    checkNames(query, SESSIONS);
    int limit = Params.intInRange(LIMIT, single(query, LIMIT), DEFAULT_LIMIT, 1, MAX_LIMIT);
    String cursor = single(query, CURSOR);
    TraceCursor.Position after =
        cursor == null || cursor.isEmpty()
            ? null
            : TraceCursor.decode(cursor, SESSIONS_FINGERPRINT);
    return new Sessions(limit, after);
  }

  /** The session id of a path: as the {@code session_id} filter accepts it, and required. */
  static String sessionId(String raw) {
    String id = id(SESSION_ID, raw);
    if (id == null) {
      throw ApiException.badRequest(SESSION_ID, "session_id is required");
    }
    return id;
  }

  /** For endpoints that take no query parameters. */
  static void none(Map<String, List<String>> query) {
    checkNames(query, Set.of());
  }

  /** A trace id: 32 hex characters in either case, returned in lowercase as stored. */
  static String traceId(String raw) {
    if (raw == null || !TRACE_ID.matcher(raw).matches()) {
      throw ApiException.badRequest(
          "trace_id",
          "trace_id must be 32 hexadecimal characters, e.g. 4bf92f3577b34da6a3ce929d0e0e4736");
    }
    return raw.toLowerCase(Locale.ROOT);
  }

  /** Longest id an id filter accepts: the longest the span writer keeps in an id column. */
  static final int MAX_ID_CHARS = 256;

  private static final Pattern UUID_SHAPE =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  /**
   * An id filter: any id of 1 to {@value #MAX_ID_CHARS} characters without control characters, as
   * the id columns hold AARD's UUIDs and other systems' ids (received by OTLP) alike; a UUID in
   * lower case, as stored. {@code null} when absent or empty.
   */
  static String id(String name, String raw) {
    if (raw == null || raw.isEmpty()) {
      return null;
    }
    if (raw.length() > MAX_ID_CHARS
        || raw.isBlank()
        || raw.chars().anyMatch(Character::isISOControl)) {
      throw ApiException.badRequest(
          name,
          name
              + " must be an id of 1 to "
              + MAX_ID_CHARS
              + " characters without control characters, e.g."
              + " 3f1c2d4e-5b6a-4c7d-8e9f-0a1b2c3d4e5f or lookup_order");
    }
    return UUID_SHAPE.matcher(raw).matches() ? raw.toLowerCase(Locale.ROOT) : raw;
  }

  private static TraceFilter filter(Map<String, List<String>> query) {
    Instant from = Params.instant(START_TIME_FROM, single(query, START_TIME_FROM));
    Instant to = Params.instant(START_TIME_TO, single(query, START_TIME_TO));
    if (from != null && to != null && from.isAfter(to)) {
      throw ApiException.badRequest(
          START_TIME_FROM, "start_time_from must not be after start_time_to");
    }
    Double minDuration = duration(MIN_DURATION_MS, single(query, MIN_DURATION_MS));
    Double maxDuration = duration(MAX_DURATION_MS, single(query, MAX_DURATION_MS));
    if (minDuration != null && maxDuration != null && minDuration > maxDuration) {
      throw ApiException.badRequest(
          MIN_DURATION_MS, "min_duration_ms must not be greater than max_duration_ms");
    }
    List<AttributeFilter> attributes = new ArrayList<>();
    for (String raw : query.getOrDefault(ATTRIBUTE, List.of())) {
      attributes.add(AttributeFilter.parse(raw));
    }
    return new TraceFilter(
        id(TASK_ID, single(query, TASK_ID)),
        id(PLAN_ID, single(query, PLAN_ID)),
        id(AGENT_ID, single(query, AGENT_ID)),
        id(TOOL_ID, single(query, TOOL_ID)),
        id(SESSION_ID, single(query, SESSION_ID)),
        Params.enumValue(STATUS, single(query, STATUS), SpanStatus.class),
        text(OPERATION_NAME, single(query, OPERATION_NAME)),
        text(SERVICE_NAME, single(query, SERVICE_NAME)),
        attributes,
        from,
        to,
        minDuration,
        maxDuration);
  }

  private static void checkNames(Map<String, List<String>> query, Set<String> accepted) {
    for (String name : new TreeSet<>(query.keySet())) {
      if (!accepted.contains(name)) {
        throw ApiException.badRequest(
            name,
            accepted.isEmpty()
                ? "unknown parameter '" + name + "': this endpoint takes no query parameters"
                : "unknown parameter '" + name + "'; accepted: " + String.join(", ", accepted));
      }
    }
  }

  private static String single(Map<String, List<String>> query, String name) {
    List<String> values = query.get(name);
    if (values == null || values.isEmpty()) {
      return null;
    }
    if (values.size() > 1) {
      throw ApiException.badRequest(name, name + " may be given only once");
    }
    return values.get(0);
  }

  private static String text(String name, String raw) {
    if (raw == null || raw.isEmpty()) {
      return null;
    }
    if (raw.length() > MAX_TEXT_LENGTH || raw.indexOf('\u0000') >= 0) {
      throw ApiException.badRequest(
          name, name + " must be at most " + MAX_TEXT_LENGTH + " characters, without NUL");
    }
    return raw;
  }

  private static Double duration(String name, String raw) {
    if (raw == null || raw.isEmpty()) {
      return null;
    }
    try {
      double value = Double.parseDouble(raw.trim());
      if (Double.isFinite(value) && value >= 0 && !raw.trim().matches(".*[dDfFxXpP].*")) {
        return value;
      }
    } catch (NumberFormatException e) {
      // falls through to the 400 below
    }
    throw ApiException.badRequest(
        name, name + " must be a number of milliseconds, 0 or more, e.g. 250 or 12.5");
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  private static Set<String> union(List<String> names, String... more) {
    Set<String> all = new TreeSet<>(names);
    all.addAll(List.of(more));
    return all;
  }
}
