package io.aard.web;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The one error body of the API.
 *
 * @param error what went wrong, in terms a user can act on
 * @param parameter the request parameter or field at fault, or {@code null}
 */
public record ApiError(String error, String parameter) {

  /** A response with this body: the one way every layer (filters, mappers) answers an error. */
  public static Response.ResponseBuilder response(int status, String error, String parameter) {
    return Response.status(status)
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity(new ApiError(error, parameter));
  }
}
