package io.aard.security;

import io.aard.web.ApiError;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.Provider;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The size limits of every request under {@code /api}, in one place: a body of at most {@value
 * #MAX_BODY_BYTES} bytes (more: 413), at most {@value #MAX_QUERY_VALUES} query parameter values,
 * each at most {@value #MAX_PARAMETER_CHARS} characters (more: 400 naming the parameter). Runs
 * after {@link ApiKeyFilter}, so that an unauthenticated client's body is never read.
 */
@Provider
@PreMatching
@Priority(Priorities.AUTHENTICATION + 100)
public class RequestLimitFilter implements ContainerRequestFilter {

  /** Largest request body: 64 KiB, room for the longest task description in any encoding. */
  public static final int MAX_BODY_BYTES = 64 * 1024;

  /** Longest query parameter value, in characters once decoded. */
  public static final int MAX_PARAMETER_CHARS = 1024;

  /** Most query parameter values in one request, repeated ones counted each time. */
  public static final int MAX_QUERY_VALUES = 100;

  @Override
  public void filter(ContainerRequestContext request) throws IOException {
    if (!checkQuery(request)) {
      return;
    }
    checkBody(request);
  }

  private static boolean checkQuery(ContainerRequestContext request) {
    MultivaluedMap<String, String> query;
    try {
      query = request.getUriInfo().getQueryParameters(true);
    } catch (IllegalArgumentException e) {
      refuse(request, 400, "the query string is not valid percent-encoding", null);
      return false;
    }
    int values = 0;
    // Sorted, so that the parameter named in a refusal does not depend on hash order.
    for (Map.Entry<String, List<String>> parameter : new TreeMap<>(query).entrySet()) {
      String name = parameter.getKey();
      if (name.length() > MAX_PARAMETER_CHARS) {
        refuse(
            request,
            400,
            "a query parameter name is longer than " + MAX_PARAMETER_CHARS + " characters",
            null);
        return false;
      }
      for (String value : parameter.getValue()) {
        values++;
        if (value != null && value.length() > MAX_PARAMETER_CHARS) {
          refuse(
              request, 400, name + " must be at most " + MAX_PARAMETER_CHARS + " characters", name);
          return false;
        }
      }
    }
    if (values > MAX_QUERY_VALUES) {
      refuse(
          request,
          400,
          "too many query parameters: at most " + MAX_QUERY_VALUES + " values per request",
          null);
      return false;
    }
    return true;
  }

  // The body is read here, at most one byte past the limit, and handed on from memory: a chunked
  // body without Content-Length is limited too, and the limit never depends on how the resource
  // reads.
  private static void checkBody(ContainerRequestContext request) throws IOException {
    int declared = request.getLength();
    if (declared > MAX_BODY_BYTES) {
      tooLarge(request);
      return;
    }
    if (!request.hasEntity()) {
      return;
    }
    // Not closed: the container owns the request's stream.
    InputStream in = request.getEntityStream();
    byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
    if (body.length > MAX_BODY_BYTES) {
      tooLarge(request);
      return;
    }
    request.setEntityStream(new ByteArrayInputStream(body));
  }

  private static void tooLarge(ContainerRequestContext request) {
    refuse(
        request,
        413,
        "the request body is larger than " + MAX_BODY_BYTES + " bytes (64 KiB)",
        "body");
  }

  private static void refuse(
      ContainerRequestContext request, int status, String message, String parameter) {
    request.abortWith(ApiError.response(status, message, parameter).build());
  }
}
