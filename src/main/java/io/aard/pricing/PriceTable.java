package io.aard.pricing;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable snapshot of {@code model_prices}, answering "what is this model's price" without a
 * query: the span writers ask it for every model span they store. A model name matches its exact
 * row first, then the longest pattern whose prefix it starts with (case-sensitive, as providers'
 * model names are).
 */
public final class PriceTable {

  /** No prices: nothing is priced. */
  public static final PriceTable EMPTY = new PriceTable(List.of());

  private final List<ModelPrice> all;
  private final Map<String, ModelPrice> exact = new HashMap<>();

  /** Patterns, longest prefix first, so that the first that matches is the longest. */
  private final List<ModelPrice> patterns = new ArrayList<>();

  private PriceTable(Collection<ModelPrice> prices) {
    List<ModelPrice> sorted = new ArrayList<>(prices);
    sorted.sort(Comparator.comparing(ModelPrice::model));
    this.all = List.copyOf(sorted);
    for (ModelPrice price : all) {
      if (price.isPattern()) {
        patterns.add(price);
      } else {
        exact.put(price.model(), price);
      }
    }
    patterns.sort(
        Comparator.comparingInt((ModelPrice p) -> p.prefix().length())
            .reversed()
            .thenComparing(ModelPrice::model));
  }

  /** A table of these prices. */
  public static PriceTable of(Collection<ModelPrice> prices) {
    return prices.isEmpty() ? EMPTY : new PriceTable(prices);
  }

  /** Every row, by model name. */
  public List<ModelPrice> all() {
    return all;
  }

  /**
   * The price of a call: that of its response model, else of its request model (docs/api.md §9).
   *
   * @return {@code null} when neither name has a price
   */
  public ModelPrice priceOf(String responseModel, String requestModel) {
    ModelPrice price = match(responseModel);
    return price != null ? price : match(requestModel);
  }

  /** The exact row of {@code model}, else its longest pattern, else {@code null}. */
  public ModelPrice match(String model) {
    if (model == null || model.isEmpty()) {
      return null;
    }
    ModelPrice found = exact.get(model);
    if (found != null) {
      return found;
    }
    for (ModelPrice pattern : patterns) {
      if (model.startsWith(pattern.prefix())) {
        return pattern;
      }
    }
    return null;
  }
}
