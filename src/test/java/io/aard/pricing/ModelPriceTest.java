package io.aard.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ModelPriceTest {

  private static final ModelPrice MINI =
      PriceTableTest.price("gpt-4o-mini*", "0.15", "0.6", "0.075");

  @Test
  void costIsTokensTimesPricePerMillion() {
    assertEquals(new BigDecimal("0.00033"), MINI.cost(1000, 300, 0).stripTrailingZeros());
    assertEquals(0, MINI.cost(0, 0, 0).signum());
    // One token of input: 0.15 / 1e6, exactly.
    assertEquals(new BigDecimal("0.00000015"), MINI.cost(1, 0, 0).stripTrailingZeros());
  }

  @Test
  void cachedInputTokensArePartOfTheInputAndCostTheCachedPrice() {
    // 1,000 input tokens of which 400 cached: 600 x 0.15 + 400 x 0.075, per million.
    assertEquals(new BigDecimal("0.00012"), MINI.cost(1000, 0, 400).stripTrailingZeros());
    ModelPrice noCachedPrice = PriceTableTest.price("m", "0.15", "0.6", null);
    assertEquals(
        new BigDecimal("0.00015"),
        noCachedPrice.cost(1000, 0, 400).stripTrailingZeros(),
        "without a cached price, cached tokens cost the input price");
    // A sender that counts cached tokens apart from its input tokens: priced on top.
    assertEquals(new BigDecimal("0.000045"), MINI.cost(100, 0, 400).stripTrailingZeros());
  }

  @Test
  void negativeCountsCountAsNothing() {
    assertEquals(new BigDecimal("0.0000006"), MINI.cost(-5, 1, -3).stripTrailingZeros());
  }

  /**
   * Ten thousand calls priced one by one and summed give exactly the sum computed in whole
   * picodollars (a price has 6 decimals per million tokens, so 1e-12 USD is the unit of every
   * cost): no rounding anywhere. The same sum in doubles does not come out exact.
   */
  @Test
  void tenThousandCostsSumWithoutDrift() {
    ModelPrice[] prices = {
      MINI,
      PriceTableTest.price("claude-3-5-haiku*", "0.8", "4", "0.08"),
      PriceTableTest.price("odd", "0.123457", "3.333333", null)
    };
    Random random = new Random(16);
    BigDecimal sum = BigDecimal.ZERO;
    BigInteger picodollars = BigInteger.ZERO;
    double doubleSum = 0;
    for (int i = 0; i < 10_000; i++) {
      ModelPrice price = prices[i % prices.length];
      long input = 1 + random.nextInt(50_000);
      long output = random.nextInt(4_000);
      long cached = random.nextInt(3) == 0 ? random.nextInt((int) input) : 0;
      sum = sum.add(price.cost(input, output, cached));
      BigDecimal cachedPrice =
          price.cachedInputPerMillion() == null
              ? price.inputPerMillion()
              : price.cachedInputPerMillion();
      picodollars =
          picodollars
              .add(micro(price.inputPerMillion()).multiply(BigInteger.valueOf(input - cached)))
              .add(micro(cachedPrice).multiply(BigInteger.valueOf(cached)))
              .add(micro(price.outputPerMillion()).multiply(BigInteger.valueOf(output)));
      doubleSum +=
          ((input - cached) * price.inputPerMillion().doubleValue()
                  + cached * cachedPrice.doubleValue()
                  + output * price.outputPerMillion().doubleValue())
              / 1e6;
    }
    BigDecimal exact = new BigDecimal(picodollars, 12);
    assertEquals(0, exact.compareTo(sum), exact + " vs " + sum);
    assertNotEquals(
        0, exact.compareTo(new BigDecimal(doubleSum)), "doubles would have drifted: " + doubleSum);
  }

  private static BigInteger micro(BigDecimal pricePerMillion) {
    return pricePerMillion.movePointRight(6).toBigIntegerExact();
  }
}
