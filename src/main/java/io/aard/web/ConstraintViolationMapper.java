package io.aard.web;

import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * The JAX-RS runtime brings its own mapper for validation failures, which would win over {@link
 * ErrorMapper} by being more specific; this one takes precedence and keeps the one error shape.
 */
@Provider
public class ConstraintViolationMapper implements ExceptionMapper<ConstraintViolationException> {

  @Override
  public Response toResponse(ConstraintViolationException failure) {
    return new ErrorMapper().toResponse(failure);
  }
}
