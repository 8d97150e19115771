package io.aard.security;

import io.aard.web.ApiError;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.ext.Provider;
import java.security.Principal;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;

/**
 * Lets a request under {@code /api} through only with an API key of a role that may send it: {@code
 * Authorization: Bearer <key>}. Missing or unknown key: 401 with {@code WWW-Authenticate: Bearer};
 * a reader's key on a method that changes something: 403. Both are the API's JSON error. With no
 * keys configured every request passes (see {@link ApiKeySettings}). Pre-matching, so that an
 * unauthenticated client learns nothing, not even which paths exist. {@code /health/*} and the
 * viewer's static files are not JAX-RS resources and stay open.
 */
@Provider
@PreMatching
@Priority(Priorities.AUTHENTICATION)
public class ApiKeyFilter implements ContainerRequestFilter {

  static final String REALM = "aard";
  private static final String BEARER = "bearer ";
  private static final Logger LOG = Logger.getLogger(ApiKeyFilter.class.getName());

  /**
   * Requests refused since start: counted here, because their spans are never stored (see {@code
   * SanitizingSpanExporter}), so that a flood is still visible in {@code /health/ready}.
   */
  private static final LongAdder REFUSED = new LongAdder();

  @Inject ApiKeySettings settings;

  @Override
  public void filter(ContainerRequestContext request) {
    ApiKeys keys = settings.keys();
    if (keys.isEmpty()) {
      return;
    }
    String method = request.getMethod();
    String token = bearerToken(request.getHeaderString(HttpHeaders.AUTHORIZATION));
    if (token == null) {
      refuse(request, 401, "an API key is required: send Authorization: Bearer <key>", null);
      return;
    }
    Optional<Role> role = keys.roleOf(token);
    if (role.isEmpty()) {
      refuse(request, 401, "the API key is not valid", "invalid_token");
      return;
    }
    if (!role.get().permits(method)) {
      refuse(
          request,
          403,
          role.get() == Role.INGEST
              ? "an ingest key may only send spans to POST /v1/traces"
              : "a reader key may only read; creating, planning, executing and changing prices need"
                  + " an operator key",
          null);
      return;
    }
    request.setSecurityContext(new KeySecurityContext(role.get(), request.getSecurityContext()));
  }

  /** How many requests this server refused with 401 or 403 since it started. */
  public static long refusedCount() {
    return REFUSED.sum();
  }

  /** The token of a {@code Bearer} credential, or {@code null} when there is none. */
  public static String bearerToken(String authorization) {
    if (authorization == null) {
      return null;
    }
    String value = authorization.strip();
    if (value.length() <= BEARER.length()
        || !value.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
      return null;
    }
    String token = value.substring(BEARER.length()).strip();
    return token.isEmpty() ? null : token;
  }

  private static void refuse(
      ContainerRequestContext request, int status, String message, String bearerError) {
    REFUSED.increment();
    LOG.fine(
        () ->
            "Refused "
                + request.getMethod()
                + " /"
                + request.getUriInfo().getPath().replaceFirst("^/", "")
                + " with "
                + status);
    Response.ResponseBuilder response =
        ApiError.response(status, message, status == 401 ? HttpHeaders.AUTHORIZATION : null);
    if (status == 401) {
      response.header(
          HttpHeaders.WWW_AUTHENTICATE,
          "Bearer realm=\""
              + REALM
              + "\""
              + (bearerError == null ? "" : ", error=\"" + bearerError + "\""));
    }
    request.abortWith(response.build());
  }

  /** The caller as an API key of a role; {@code isUserInRole("operator")} works in resources. */
  private record KeySecurityContext(Role role, SecurityContext original)
      implements SecurityContext {

    @Override
    public Principal getUserPrincipal() {
      return () -> "api-key:" + role.configName();
    }

    @Override
    public boolean isUserInRole(String name) {
      return role.configName().equals(name)
          || (role == Role.OPERATOR && Role.READER.configName().equals(name));
    }

    @Override
    public boolean isSecure() {
      return original != null && original.isSecure();
    }

    @Override
    public String getAuthenticationScheme() {
      return "Bearer";
    }
  }
}
