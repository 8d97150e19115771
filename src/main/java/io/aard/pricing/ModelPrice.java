package io.aard.pricing;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * The price of a model, or of every model whose name starts with a prefix, in USD per million
 * tokens (docs/api.md §9). Money is {@link BigDecimal} throughout, never a {@code double}: a cost
 * is exact, and so is any sum of costs.
 *
 * @param model an exact model name, or a pattern: a prefix and one trailing {@code *}
 * @param inputPerMillion the price of a million input tokens
 * @param outputPerMillion the price of a million output tokens
 * @param cachedInputPerMillion the price of a million input tokens served from the provider's
 *     cache, or {@code null} to price them as other input tokens
 * @param source where the price comes from: a pricing page and its date, or {@code api}
 * @param updatedAt when the row last changed
 */
public record ModelPrice(
    String model,
    BigDecimal inputPerMillion,
    BigDecimal outputPerMillion,
    BigDecimal cachedInputPerMillion,
    String source,
    Instant updatedAt) {

  /** The wildcard that ends a pattern. */
  static final char WILDCARD = '*';

  /** Whether {@link #model} is a pattern rather than an exact name. */
  public boolean isPattern() {
    return model.charAt(model.length() - 1) == WILDCARD;
  }

  /** The prefix a pattern matches; the name itself for an exact row. */
  String prefix() {
    return isPattern() ? model.substring(0, model.length() - 1) : model;
  }

  /**
   * The cost of one call, exact: every price has at most 6 decimals and tokens are whole, so the
   * result has at most 12 and nothing is rounded. Negative counts count as 0.
   *
   * <p>Cached input tokens follow the GenAI conventions: {@code
   * gen_ai.usage.cache_read.input_tokens} is part of {@code gen_ai.usage.input_tokens}, so those
   * tokens are priced at the cached price and the rest of the input at the input price. When a
   * sender reports more cached tokens than input tokens, its input count cannot include them, and
   * they are priced on top of it.
   *
   * @param inputTokens {@code gen_ai.usage.input_tokens}
   * @param outputTokens {@code gen_ai.usage.output_tokens}
   * @param cachedInputTokens input tokens read from the provider's cache, 0 when not reported
   */
  public BigDecimal cost(long inputTokens, long outputTokens, long cachedInputTokens) {
    long input = Math.max(0, inputTokens);
    long cached = Math.max(0, cachedInputTokens);
    long uncached = cached <= input ? input - cached : input;
    BigDecimal cachedPrice =
        cachedInputPerMillion != null ? cachedInputPerMillion : inputPerMillion;
    return inputPerMillion
        .multiply(BigDecimal.valueOf(uncached))
        .add(cachedPrice.multiply(BigDecimal.valueOf(cached)))
        .add(outputPerMillion.multiply(BigDecimal.valueOf(Math.max(0, outputTokens))))
        .movePointLeft(6);
  }
}
