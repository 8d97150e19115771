package io.aard.tracequery;

import static io.aard.tracequery.TraceParamsTest.assertBadRequest;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class AttributeFilterTest {

  @Test
  void numericValueMatchesTheNumberAndTheStringAlsoInArrays() {
    AttributeFilter f = AttributeFilter.parse("gen_ai.usage.input_tokens=12");
    assertEquals("gen_ai.usage.input_tokens", f.key());
    assertEquals(
        List.of(
            "{\"gen_ai.usage.input_tokens\":\"12\"}",
            "{\"gen_ai.usage.input_tokens\":12}",
            "{\"gen_ai.usage.input_tokens\":[\"12\"]}",
            "{\"gen_ai.usage.input_tokens\":[12]}"),
        f.candidates());
    assertEquals(
        List.of("{\"x\":\"-0.5e3\"}", "{\"x\":-5E+2}", "{\"x\":[\"-0.5e3\"]}", "{\"x\":[-5E+2]}"),
        AttributeFilter.parse("x=-0.5e3").candidates());
  }

  @Test
  void booleanValueMatchesTheBooleanAndTheString() {
    assertEquals(
        List.of(
            "{\"error\":\"true\"}",
            "{\"error\":true}",
            "{\"error\":[\"true\"]}",
            "{\"error\":[true]}"),
        AttributeFilter.parse("error=true").candidates());
    assertEquals(
        List.of(
            "{\"error\":\"false\"}",
            "{\"error\":false}",
            "{\"error\":[\"false\"]}",
            "{\"error\":[false]}"),
        AttributeFilter.parse("error=false").candidates());
  }

  @Test
  void quotedValueMatchesOnlyTheString() {
    assertEquals(
        List.of("{\"code\":\"12\"}", "{\"code\":[\"12\"]}"),
        AttributeFilter.parse("code=\"12\"").candidates());
  }

  @Test
  void textValueMatchesOnlyTheString() {
    assertEquals(
        List.of(
            "{\"gen_ai.request.model\":\"llama3.2\"}", "{\"gen_ai.request.model\":[\"llama3.2\"]}"),
        AttributeFilter.parse("gen_ai.request.model=llama3.2").candidates());
    assertEquals(
        List.of("{\"n\":\"012\"}", "{\"n\":[\"012\"]}"),
        AttributeFilter.parse("n=012").candidates());
  }

  @Test
  void valueMayContainEqualsSignsAndBeEmpty() {
    assertEquals("{\"q\":\"a=b\"}", AttributeFilter.parse("q=a=b").candidates().get(0));
    assertEquals("{\"q\":\"\"}", AttributeFilter.parse("q=").candidates().get(0));
  }

  @Test
  void keysAndValuesAreJsonEscaped() {
    assertEquals(
        "{\"a\\\"b\":\"c\\\\d\\\"}\"}", AttributeFilter.parse("a\"b=c\\d\"}").candidates().get(0));
  }

  @Test
  void numberBeyondPostgresNumericIsOnlyAString() {
    assertEquals(
        List.of("{\"x\":\"1e999999\"}", "{\"x\":[\"1e999999\"]}"),
        AttributeFilter.parse("x=1e999999").candidates());
  }

  @Test
  void malformedFilterIsRefused() {
    for (String bad : List.of("novalue", "=x", " =x", "", "a\u0000=b")) {
      assertBadRequest("attribute", () -> AttributeFilter.parse(bad));
    }
    assertBadRequest("attribute", () -> AttributeFilter.parse("k".repeat(257) + "=v"));
  }
}
