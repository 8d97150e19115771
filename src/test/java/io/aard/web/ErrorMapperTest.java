package io.aard.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.aard.AardException.Category;
import io.aard.Conflict;
import io.aard.NotFound;
import io.aard.llm.LanguageModelException;
import io.aard.llm.LanguageModelException.Kind;
import org.junit.jupiter.api.Test;

class ErrorMapperTest {

  @Test
  void eachCategoryHasItsStatus() {
    assertEquals(404, ErrorMapper.status(Category.NOT_FOUND));
    assertEquals(409, ErrorMapper.status(Category.CONFLICT));
    assertEquals(503, ErrorMapper.status(Category.UNAVAILABLE));
    assertEquals(504, ErrorMapper.status(Category.TIMEOUT));
    assertEquals(502, ErrorMapper.status(Category.UPSTREAM));
  }

  @Test
  void domainExceptionsAreNotFoundAndConflict() {
    assertEquals(404, ErrorMapper.status(new NotFound("no plan x").category()));
    assertEquals(409, ErrorMapper.status(new Conflict("plan x has ended").category()));
  }

  @Test
  void languageModelKindsKeepTheirStatuses() {
    assertEquals(503, ErrorMapper.status(Kind.UNAVAILABLE.category()));
    assertEquals(504, ErrorMapper.status(Kind.TIMEOUT.category()));
    assertEquals(502, ErrorMapper.status(Kind.UPSTREAM_ERROR.category()));
    assertEquals(502, ErrorMapper.status(Kind.INVALID_RESPONSE.category()));
  }

  @Test
  void languageModelFailuresSaySoToTheClient() {
    LanguageModelException e = new LanguageModelException(Kind.TIMEOUT, "no answer within 30 s");
    assertEquals("no answer within 30 s", e.getMessage());
    assertEquals("language model: no answer within 30 s", e.clientMessage());
    assertEquals("no plan x", new NotFound("no plan x").clientMessage());
  }
}
