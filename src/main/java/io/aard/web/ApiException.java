package io.aard.web;

import jakarta.ws.rs.core.Response;

/**
 * A request the web layer refuses as sent (a malformed parameter or body), with its status and a
 * message meant for the client; {@link ErrorMapper} renders it. Domain code throws {@link
 * io.aard.AardException} instead, which knows nothing of HTTP.
 */
public class ApiException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int status;
  private final String parameter;

  public ApiException(int status, String message, String parameter) {
    super(message);
    this.status = status;
    this.parameter = parameter;
  }

  /** 400 naming the parameter at fault. */
  public static ApiException badRequest(String parameter, String message) {
    return new ApiException(Response.Status.BAD_REQUEST.getStatusCode(), message, parameter);
  }

  /** 404 for something the client named that does not exist. */
  public static ApiException notFound(String message) {
    return new ApiException(Response.Status.NOT_FOUND.getStatusCode(), message, null);
  }

  /** 409 for a request that the current state does not allow. */
  public static ApiException conflict(String message) {
    return new ApiException(Response.Status.CONFLICT.getStatusCode(), message, null);
  }

  public int status() {
    return status;
  }

  public String parameter() {
    return parameter;
  }
}
