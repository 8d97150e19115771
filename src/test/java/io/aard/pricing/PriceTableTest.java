package io.aard.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PriceTableTest {

  private static final PriceTable TABLE =
      PriceTable.of(
          List.of(
              price("gpt-4o*", "2.5", "10", "1.25"),
              price("gpt-4o-mini*", "0.15", "0.6", "0.075"),
              price("gpt-4o-2024-05-13", "5", "15", null),
              price("llama*", "0", "0", "0"),
              price("my-llama", "1", "2", null)));

  @Test
  void anExactNameWinsOverEveryPattern() {
    assertEquals("gpt-4o-2024-05-13", TABLE.match("gpt-4o-2024-05-13").model());
    assertEquals("my-llama", TABLE.match("my-llama").model());
  }

  @Test
  void theLongestMatchingPatternWins() {
    assertEquals("gpt-4o-mini*", TABLE.match("gpt-4o-mini-2024-07-18").model());
    assertEquals("gpt-4o-mini*", TABLE.match("gpt-4o-mini").model());
    assertEquals("gpt-4o*", TABLE.match("gpt-4o-2024-08-06").model());
    assertEquals("gpt-4o*", TABLE.match("gpt-4o").model(), "a pattern matches its prefix itself");
    assertEquals("llama*", TABLE.match("llama3.2:3b").model());
  }

  @Test
  void unknownNamesHaveNoPrice() {
    assertNull(TABLE.match("claude-3-5-sonnet-20241022"));
    assertNull(TABLE.match("GPT-4o"), "names are matched as providers spell them");
    assertNull(TABLE.match(""));
    assertNull(TABLE.match(null));
    assertNull(PriceTable.EMPTY.match("gpt-4o"));
  }

  @Test
  void theResponseModelIsMatchedBeforeTheRequestModel() {
    assertEquals("gpt-4o-mini*", TABLE.priceOf("gpt-4o-mini-2024-07-18", "gpt-4o").model());
    assertEquals("gpt-4o*", TABLE.priceOf("unknown-model", "gpt-4o").model());
    assertEquals("gpt-4o*", TABLE.priceOf(null, "gpt-4o").model());
    assertNull(TABLE.priceOf("unknown-model", "another-unknown"));
  }

  @Test
  void rowsAreListedByName() {
    assertEquals(
        List.of("gpt-4o*", "gpt-4o-2024-05-13", "gpt-4o-mini*", "llama*", "my-llama"),
        TABLE.all().stream().map(ModelPrice::model).toList());
  }

  static ModelPrice price(String model, String input, String output, String cached) {
    return new ModelPrice(
        model,
        new BigDecimal(input),
        new BigDecimal(output),
        cached == null ? null : new BigDecimal(cached),
        "test",
        Instant.EPOCH);
  }
}
