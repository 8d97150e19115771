package io.aard.tracequery;

import io.aard.tracequery.TraceViews.SpanList;
import io.aard.tracequery.TraceViews.StatsSummary;
import io.aard.tracequery.TraceViews.TraceDetail;
import io.aard.tracequery.TraceViews.TraceList;
import io.aard.web.ApiError;
import io.aard.web.ApiException;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.time.Clock;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /api/traces}: search traces, read one as a span tree or a flat span list, and span
 * statistics (docs/api.md §6). Query parameters are read from {@link UriInfo} so that every one is
 * checked, unknown names included.
 */
@Path("traces")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "traces", description = "Search and read the spans in execution_traces")
@APIResponse(
    responseCode = "400",
    description = "A parameter is malformed or unknown; `parameter` names it",
    content =
        @Content(
            mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ApiError.class)))
public class TraceResource {

  @Inject TraceReader store;

  @Context UriInfo uri;

  Clock clock = Clock.systemUTC();

  @GET
  @Operation(
      summary = "Search traces, newest first",
      description =
          "One row per trace. A trace matches when one of its spans matches every span-level"
              + " filter (task_id, plan_id, agent_id, tool_id, session_id, status, operation_name,"
              + " service_name, attribute); start_time_from/start_time_to bound the trace's start"
              + " and min/max_duration_ms its duration (both its root span's). Each row sums its"
              + " trace's tokens and cost. Pages follow next_cursor; a walk never repeats or skips"
              + " a trace while spans keep arriving.")
  @Parameter(ref = TraceParams.TASK_ID)
  @Parameter(ref = TraceParams.PLAN_ID)
  @Parameter(ref = TraceParams.AGENT_ID)
  @Parameter(ref = TraceParams.TOOL_ID)
  @Parameter(ref = TraceParams.SESSION_ID)
  @Parameter(ref = TraceParams.STATUS)
  @Parameter(ref = TraceParams.OPERATION_NAME)
  @Parameter(ref = TraceParams.SERVICE_NAME)
  @Parameter(ref = TraceParams.START_TIME_FROM)
  @Parameter(ref = TraceParams.START_TIME_TO)
  @Parameter(ref = TraceParams.MIN_DURATION_MS)
  @Parameter(ref = TraceParams.MAX_DURATION_MS)
  @Parameter(ref = TraceParams.ATTRIBUTE)
  @Parameter(
      name = TraceParams.LIMIT,
      in = ParameterIn.QUERY,
      description = "Traces per page, 1 to 500",
      schema =
          @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "500", defaultValue = "50"))
  @Parameter(
      name = TraceParams.CURSOR,
      in = ParameterIn.QUERY,
      description = "The next_cursor of the previous page, with the same filters",
      schema = @Schema(type = SchemaType.STRING))
  @APIResponse(
      responseCode = "200",
      description = "A page of traces; next_cursor is null on the last page",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = TraceList.class)))
  public TraceList search() {
    var params = TraceParams.search(uri.getQueryParameters());
    return ReadGate.read(ReadGate.Weight.LIGHT, () -> store.search(params));
  }

  @GET
  @Path("{trace_id}")
  @Operation(
      summary = "One trace with its span tree",
      description =
          "The trace's summary and its spans as a tree: each span's children nested under"
              + " `children`, ordered by start time. A trace of more spans than"
              + " TRACE_READ_MAX_SPANS (default 10000) is cut after its first spans in the order"
              + " of /spans: `truncated` is true, `span_count` and `error_count` still count the"
              + " whole trace, and `next_cursor` is the `cursor` of /spans that continues after"
              + " the last span returned.")
  @APIResponse(
      responseCode = "200",
      description = "The trace",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = TraceDetail.class)))
  @APIResponse(
      responseCode = "404",
      description = "No span of this trace is stored",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = ApiError.class)))
  public TraceDetail trace(
      @Parameter(
              description = "32 hexadecimal characters, either case",
              schema = @Schema(type = SchemaType.STRING, pattern = "^[0-9a-fA-F]{32}$"))
          @PathParam("trace_id")
          String traceId) {
    String id = TraceParams.traceId(traceId);
    TraceParams.none(uri.getQueryParameters());
    return ReadGate.read(ReadGate.Weight.LIGHT, () -> store.trace(id))
        .orElseThrow(() -> unknown(id));
  }

  @GET
  @Path("{trace_id}/spans")
  @Operation(
      summary = "One trace's spans, flat",
      description =
          "The trace's spans, ordered by start time, then span id, with every stored column: at"
              + " most `limit` of them; `next_cursor` continues after the last one and is null"
              + " on the last page.")
  @Parameter(
      name = TraceParams.LIMIT,
      in = ParameterIn.QUERY,
      description = "Spans per page, 1 to TRACE_READ_MAX_SPANS (default: that maximum, 10000)",
      schema = @Schema(type = SchemaType.INTEGER, minimum = "1"))
  @Parameter(
      name = TraceParams.CURSOR,
      in = ParameterIn.QUERY,
      description =
          "The next_cursor of the previous page of this trace, or of GET /api/traces/{trace_id}",
      schema = @Schema(type = SchemaType.STRING))
  @APIResponse(
      responseCode = "200",
      description = "A page of the spans; next_cursor is null on the last page",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = SpanList.class)))
  @APIResponse(
      responseCode = "404",
      description = "No span of this trace is stored",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = ApiError.class)))
  public SpanList spans(
      @Parameter(
              description = "32 hexadecimal characters, either case",
              schema = @Schema(type = SchemaType.STRING, pattern = "^[0-9a-fA-F]{32}$"))
          @PathParam("trace_id")
          String traceId) {
    String id = TraceParams.traceId(traceId);
    var request = TraceParams.spans(uri.getQueryParameters(), id, store.maxSpans());
    SpanList page = ReadGate.read(ReadGate.Weight.LIGHT, () -> store.spans(id, request));
    if (page.spans().isEmpty() && request.after() == null) {
      throw unknown(id);
    }
    return page;
  }

  @GET
  @Path("stats/summary")
  @Operation(
      summary = "Span statistics",
      description =
          "Counts, errors, error rate, duration average/p50/p95/p99/max, token and cost sums of the"
              + " spans that started in start_time_from..start_time_to (default: the last 24"
              + " hours) and match the filters, overall and per group_by value. Here"
              + " min/max_duration_ms bound each span's duration. A window that starts before"
              + " what retention keeps (TRACING_RETENTION_MONTHS) is answered from the oldest"
              + " span kept: `from` shows the instant used.")
  @Parameter(ref = TraceParams.TASK_ID)
  @Parameter(ref = TraceParams.PLAN_ID)
  @Parameter(ref = TraceParams.AGENT_ID)
  @Parameter(ref = TraceParams.TOOL_ID)
  @Parameter(ref = TraceParams.SESSION_ID)
  @Parameter(ref = TraceParams.STATUS)
  @Parameter(ref = TraceParams.OPERATION_NAME)
  @Parameter(ref = TraceParams.SERVICE_NAME)
  @Parameter(ref = TraceParams.START_TIME_FROM)
  @Parameter(ref = TraceParams.START_TIME_TO)
  @Parameter(ref = TraceParams.MIN_DURATION_MS)
  @Parameter(ref = TraceParams.MAX_DURATION_MS)
  @Parameter(ref = TraceParams.ATTRIBUTE)
  @Parameter(
      name = TraceParams.GROUP_BY,
      in = ParameterIn.QUERY,
      description = "The column of the groups",
      schema =
          @Schema(
              type = SchemaType.STRING,
              enumeration = {
                "operation_name",
                "agent_id",
                "tool_id",
                "status",
                "service_name",
                "model"
              },
              defaultValue = "operation_name"))
  @APIResponse(
      responseCode = "200",
      description = "The statistics",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = StatsSummary.class)))
  public StatsSummary stats() {
    Instant now = clock.instant();
    var params = TraceParams.stats(uri.getQueryParameters(), now, store.oldestKept(now));
    return ReadGate.read(ReadGate.Weight.HEAVY, () -> store.stats(params));
  }

  private static ApiException unknown(String traceId) {
    return ApiException.notFound("no trace " + traceId);
  }
}
