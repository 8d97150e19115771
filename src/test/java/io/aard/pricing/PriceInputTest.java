package io.aard.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.aard.web.ApiException;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class PriceInputTest {

  @Test
  void aBodyWithTheThreePricesIsRead() {
    PriceInput input =
        PriceInput.from(
            json(
                "{\"input_per_million\": 2.50, \"output_per_million\": 1e1,"
                    + " \"cached_input_per_million\": 0.075}"));
    assertEquals(new BigDecimal("2.5"), input.inputPerMillion());
    assertEquals(new BigDecimal("10"), input.outputPerMillion());
    assertEquals(new BigDecimal("0.075"), input.cachedInputPerMillion());
    PriceInput noCache =
        PriceInput.from(json("{\"input_per_million\": 0, \"output_per_million\": 1000000}"));
    assertNull(noCache.cachedInputPerMillion());
    assertNull(
        PriceInput.from(
                json(
                    "{\"input_per_million\": 1, \"output_per_million\": 2,"
                        + " \"cached_input_per_million\": null}"))
            .cachedInputPerMillion());
  }

  @Test
  void eachBadFieldIsA400NamingIt() {
    String ok = "\"output_per_million\": 1";
    assertRefused("input_per_million", "{\"input_per_million\": -0.01, " + ok + "}");
    assertRefused("input_per_million", "{\"input_per_million\": \"2.5\", " + ok + "}");
    assertRefused("input_per_million", "{\"input_per_million\": true, " + ok + "}");
    assertRefused("input_per_million", "{\"input_per_million\": 1000000.000001, " + ok + "}");
    assertRefused("input_per_million", "{\"input_per_million\": 1e400, " + ok + "}");
    assertRefused("input_per_million", "{\"input_per_million\": 0.0000001, " + ok + "}");
    assertRefused("input_per_million", "{\"input_per_million\": 1e-999999, " + ok + "}");
    assertRefused(
        "input_per_million", "{\"input_per_million\": 0." + "3".repeat(1000) + ", " + ok + "}");
    assertRefused("input_per_million", "{" + ok + "}");
    assertRefused("output_per_million", "{\"input_per_million\": 1, \"output_per_million\": []}");
    assertRefused(
        "cached_input_per_million",
        "{\"input_per_million\": 1, " + ok + ", \"cached_input_per_million\": -1}");
    assertRefused("source", "{\"input_per_million\": 1, " + ok + ", \"source\": \"mine\"}");
  }

  @Test
  void aModelIsANameOrAPrefixWithOneTrailingStar() {
    assertEquals("gpt-4o-mini*", PriceInput.model("gpt-4o-mini*"));
    assertEquals("meta-llama/Llama-3.3-70B", PriceInput.model("meta-llama/Llama-3.3-70B"));
    assertEquals("qwen2.5:7b", PriceInput.model("qwen2.5:7b"));
    for (String bad : new String[] {"", " ", "*", "gpt*4o", "**", "a\nb", "x".repeat(257)}) {
      ApiException e = assertThrows(ApiException.class, () -> PriceInput.model(bad), bad);
      assertEquals("model", e.parameter());
      assertEquals(400, e.status());
    }
  }

  private static void assertRefused(String field, String body) {
    ApiException e = assertThrows(ApiException.class, () -> PriceInput.from(json(body)), body);
    assertEquals(400, e.status());
    assertEquals(field, e.parameter(), e.getMessage());
  }

  private static JsonObject json(String text) {
    try (var reader = Json.createReader(new StringReader(text))) {
      return reader.readObject();
    }
  }
}
