package io.aard.web;

import io.aard.AardException;
import io.opentelemetry.api.trace.Span;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Turns every failure of a request into the JSON error body {@code {"error": ..., "parameter":
 * ...}}: request errors ({@link ApiException}), domain failures ({@link AardException}, whose
 * category decides the status), database outages and JAX-RS's own. No stack trace or class name
 * reaches a client; the server log has the full exception of anything unexpected.
 */
@Provider
public class ErrorMapper implements ExceptionMapper<Throwable> {

  private static final Logger LOG = Logger.getLogger(ErrorMapper.class.getName());

  /** The message of every request that failed because PostgreSQL could not be reached. */
  static final String DATABASE_UNAVAILABLE = "the database is unavailable; retry later";

  /** What a 503 suggests in {@code Retry-After}: about the pool's connection timeout. */
  private static final int RETRY_AFTER_SECONDS = 5;

  @Context UriInfo uriInfo;

  /** What a 429 suggests in {@code Retry-After}. */
  public static final int TOO_MANY_RETRY_AFTER_SECONDS = 2;

  @Override
  public Response toResponse(Throwable failure) {
    if (failure instanceof ApiException api && api.status() == 429) {
      // Too many heavy reads at once: try again shortly, never queued.
      return ApiError.response(429, api.getMessage(), api.parameter())
          .header("Retry-After", Integer.toString(TOO_MANY_RETRY_AFTER_SECONDS))
          .build();
    }
    if (failure instanceof ApiException api) {
      return error(api.status(), api.getMessage(), api.parameter());
    }
    if (failure instanceof AardException domain) {
      return error(status(domain.category()), domain.clientMessage(), domain.parameter());
    }
    if (DatabaseUnavailable.causedBy(failure)) {
      return databaseUnavailable(failure);
    }
    if (failure instanceof WebApplicationException web) {
      return webApplication(web);
    }
    LOG.log(Level.SEVERE, "Unexpected failure of " + path(), failure);
    return error(
        500,
        "internal error; the server log has the details under trace "
            + Span.current().getSpanContext().getTraceId(),
        null);
  }

  /** The one place where a domain failure's category becomes an HTTP status. */
  static int status(AardException.Category category) {
    return switch (category) {
      case NOT_FOUND -> 404;
      case CONFLICT -> 409;
      case UNAVAILABLE -> 503;
      case TIMEOUT -> 504;
      case UPSTREAM -> 502;
    };
  }

  /**
   * A 503 the client may retry; logged without a stack trace at WARNING (the readiness check says
   * the same), with it at FINE.
   */
  private Response databaseUnavailable(Throwable failure) {
    LOG.log(Level.WARNING, "The database is unavailable; {0} answered 503", path());
    LOG.log(Level.FINE, "Database failure on " + path(), failure);
    return ApiError.response(503, DATABASE_UNAVAILABLE, null)
        .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
        .build();
  }

  private Response webApplication(WebApplicationException web) {
    int status = web.getResponse().getStatus();
    if (web instanceof NotFoundException) {
      return error(404, "no resource at " + path(), null);
    }
    if (web instanceof NotAllowedException) {
      return error(405, "method not allowed on " + path(), null);
    }
    if (web instanceof NotSupportedException) {
      return error(415, "unsupported Content-Type: send application/json", null);
    }
    if (status == 400 && web.getCause() != null) {
      return badBody(web.getCause());
    }
    if (status >= 500) {
      LOG.log(Level.SEVERE, "Server error on " + path(), web);
      return error(status, "internal error", null);
    }
    var reason = Response.Status.fromStatusCode(status);
    return error(status, reason == null ? "request failed" : reason.getReasonPhrase(), null);
  }

  private Response badBody(Throwable failure) {
    LOG.log(Level.FINE, "Unreadable request body on " + path(), failure);
    return error(400, "the request body is not JSON of the expected shape", "body");
  }

  private String path() {
    return uriInfo == null ? "?" : "/" + uriInfo.getPath().replaceFirst("^/", "");
  }

  private static Response error(int status, String message, String parameter) {
    return ApiError.response(status, message, parameter).build();
  }
}
