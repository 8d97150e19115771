package io.aard.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Security headers on every response of the application, the API's and the viewer's files alike (a
 * servlet filter, since Liberty's default servlet serves the files, not JAX-RS): a
 * Content-Security-Policy that lets the viewer load only its own scripts and styles and be framed
 * by nobody, {@code nosniff}, no referrer, and {@code Cache-Control: no-store} on the API, whose
 * answers may hold trace data that no shared cache should keep.
 *
 * <p>{@code style-src-attr 'unsafe-inline'}: the waterfall positions its bars with {@code style}
 * attributes in generated markup; scripts stay {@code 'self'} only, so no injected markup can run.
 */
@WebFilter(urlPatterns = "/*", asyncSupported = true)
public class SecurityHeadersFilter extends HttpFilter {

  private static final long serialVersionUID = 1L;

  /** The policy every response carries. */
  public static final String CONTENT_SECURITY_POLICY =
      "default-src 'self'; style-src-attr 'unsafe-inline'; img-src 'self' data:;"
          + " object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    // Set before the chain: a response committed by the resource can no longer take headers.
    response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setHeader("Referrer-Policy", "no-referrer");
    response.setHeader("X-Frame-Options", "DENY");
    String path = request.getRequestURI().substring(request.getContextPath().length());
    if (path.startsWith("/api/") || path.equals("/api")) {
      response.setHeader("Cache-Control", "no-store");
    }
    chain.doFilter(request, response);
  }
}
