package io.aard.pricing;

import java.math.BigDecimal;

/** How amounts of money are shown: exact, without the trailing zeros of their scale. */
public final class Money {

  private Money() {}

  /**
   * {@code amount} without trailing zeros ({@code 0.000150000000}, the scale a {@code numeric} sum
   * keeps, becomes {@code 0.00015}); {@code null} stays {@code null}.
   */
  public static BigDecimal plain(BigDecimal amount) {
    if (amount == null) {
      return null;
    }
    BigDecimal stripped = amount.stripTrailingZeros();
    return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
  }
}
