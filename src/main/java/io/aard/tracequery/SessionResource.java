package io.aard.tracequery;

import io.aard.tracequery.TraceViews.SessionDetail;
import io.aard.tracequery.TraceViews.SessionList;
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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /api/sessions}: the sessions of the span store (a task of AARD's, a conversation of
 * another system's), listed newest first, and one session with its traces (docs/api.md §9). Reads
 * of the span store, so they share the trace API's {@link ReadGate}.
 */
@Path("sessions")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "sessions", description = "Sessions: the traces that share a conversation id")
@APIResponse(
    responseCode = "400",
    description = "A parameter is malformed or unknown; `parameter` names it",
    content =
        @Content(
            mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ApiError.class)))
public class SessionResource {

  @Inject TraceReader store;

  @Context UriInfo uri;

  @GET
  @Operation(
      summary = "List sessions, newest first",
      description =
          "One row per session_id (gen_ai.conversation.id or session.id of its spans): its trace"
              + " and span counts, errors, first and last time, duration, tokens and cost, summed"
              + " over its traces. Ordered by the start of the session's first span; pages follow"
              + " next_cursor.")
  @Parameter(
      name = TraceParams.LIMIT,
      in = ParameterIn.QUERY,
      description = "Sessions per page, 1 to 500",
      schema =
          @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "500", defaultValue = "50"))
  @Parameter(
      name = TraceParams.CURSOR,
      in = ParameterIn.QUERY,
      description = "The next_cursor of the previous page",
      schema = @Schema(type = SchemaType.STRING))
  @APIResponse(
      responseCode = "200",
      description = "A page of sessions; next_cursor is null on the last page",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = SessionList.class)))
  public SessionList list() {
    var params = TraceParams.sessions(uri.getQueryParameters());
    return ReadGate.read(ReadGate.Weight.HEAVY, () -> store.sessions(params));
  }

  @GET
  @Path("{session_id}")
  @Operation(
      summary = "One session with its traces",
      description =
          "The session's totals and the summaries of its traces, oldest first: at most the 500"
              + " newest (more_traces says there are more; GET /api/traces/?session_id= pages"
              + " through all).")
  @APIResponse(
      responseCode = "200",
      description = "The session",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = SessionDetail.class)))
  @APIResponse(
      responseCode = "404",
      description = "No stored span carries this session id",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = ApiError.class)))
  public SessionDetail session(
      @Parameter(
              description = "A session id of 1 to 256 characters, e.g. a task id",
              schema = @Schema(type = SchemaType.STRING, maxLength = 256))
          @PathParam("session_id")
          String rawId) {
    TraceParams.none(uri.getQueryParameters());
    String sessionId = TraceParams.sessionId(rawId);
    return ReadGate.read(ReadGate.Weight.LIGHT, () -> store.session(sessionId))
        .orElseThrow(() -> ApiException.notFound("no session " + sessionId));
  }
}
