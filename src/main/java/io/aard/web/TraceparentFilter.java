package io.aard.web;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.ext.Provider;

/**
 * Puts the W3C {@code traceparent} of the request's server span on every API response, so that a
 * client can find the trace of any call it made, errors included.
 */
@Provider
@PreMatching
public class TraceparentFilter implements ContainerRequestFilter, ContainerResponseFilter {

  static final String HEADER = "traceparent";
  private static final String PROPERTY = TraceparentFilter.class.getName();

  @Override
  public void filter(ContainerRequestContext request) {
    SpanContext context = Span.current().getSpanContext();
    if (context.isValid()) {
      request.setProperty(PROPERTY, context);
    }
  }

  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    Object stored = request.getProperty(PROPERTY);
    SpanContext context =
        stored instanceof SpanContext span ? span : Span.current().getSpanContext();
    if (context.isValid()) {
      response
          .getHeaders()
          .putSingle(
              HEADER,
              "00-"
                  + context.getTraceId()
                  + "-"
                  + context.getSpanId()
                  + "-"
                  + context.getTraceFlags().asHex());
    }
  }
}
