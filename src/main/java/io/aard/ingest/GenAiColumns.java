package io.aard.ingest;

import io.aard.pricing.ModelPrice;
import io.aard.pricing.PriceTable;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import java.math.BigDecimal;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * The columns a span's GenAI attributes fill (docs/api.md §5): {@code model}, {@code session_id}
 * and {@code cost_usd}. The cost is the span's own {@code gen_ai.usage.cost} when it carries a
 * usable one (its sender knew its contract), else its tokens priced from the price table as it
 * stands now: a price change applies to the spans stored after it. All in memory, no query.
 */
final class GenAiColumns {

  static final String RESPONSE_MODEL = "gen_ai.response.model";
  static final String REQUEST_MODEL = "gen_ai.request.model";

  /** The conversation a call belongs to; AARD's own spans carry their task's id. */
  static final String CONVERSATION_ID = "gen_ai.conversation.id";

  /** The session of other instrumentations, when there is no conversation id. */
  static final String SESSION_ID = "session.id";

  /**
   * Input tokens read from the provider's cache: the conventions' name first, then the names older
   * instrumentations used.
   */
  static final List<String> CACHED_INPUT_TOKENS =
      List.of(
          "gen_ai.usage.cache_read.input_tokens",
          "gen_ai.usage.cache_read_input_tokens",
          "gen_ai.usage.cached_input_tokens");

  /** What every name of {@link #CACHED_INPUT_TOKENS} starts with. */
  private static final String CACHED_PREFIX = "gen_ai.usage.cache";

  /** A cost the span carries itself, in USD. */
  static final String OWN_COST = "gen_ai.usage.cost";

  /**
   * A carried cost above this (or negative, or not a number) is not believed, and priced instead.
   */
  private static final BigDecimal MAX_OWN_COST = BigDecimal.valueOf(1_000_000_000L);

  private static final Pattern DECIMAL = Pattern.compile("\\d{1,20}(\\.\\d{1,20})?");
  private static final Pattern DIGITS = Pattern.compile("\\d{1,18}");

  /** The three columns, as text ready to bind; each {@code null} when the span has no value. */
  record Values(String model, String sessionId, String costUsd) {}

  private GenAiColumns() {}

  /**
   * @param inputTokens the span's {@code input_tokens}, or {@code null}
   * @param outputTokens its {@code output_tokens}, or {@code null}
   * @param prices the price table to price it with
   */
  static Values of(Attributes attributes, Long inputTokens, Long outputTokens, PriceTable prices) {
    Found found = new Found();
    // One pass over the attributes rather than a look-up per name: this runs for every span.
    attributes.forEach(found);
    String model = found.response != null ? found.response : found.request;
    String session = found.conversation != null ? found.conversation : found.session;
    BigDecimal cost = found.ownCost;
    if (cost == null && model != null && (inputTokens != null || outputTokens != null)) {
      ModelPrice price = prices.priceOf(found.response, found.request);
      if (price != null) {
        cost =
            price.cost(
                inputTokens == null ? 0 : inputTokens,
                outputTokens == null ? 0 : outputTokens,
                found.cachedInputTokens());
      }
    }
    return new Values(model, session, cost == null ? null : plain(cost));
  }

  /** The attributes this class reads, collected in one pass. */
  private static final class Found implements BiConsumer<AttributeKey<?>, Object> {
    String response;
    String request;
    String conversation;
    String session;
    BigDecimal ownCost;
    final Long[] cached = new Long[CACHED_INPUT_TOKENS.size()];

    @Override
    public void accept(AttributeKey<?> key, Object value) {
      String name = key.getKey();
      switch (name) {
        case RESPONSE_MODEL -> response = modelName(value);
        case REQUEST_MODEL -> request = modelName(value);
        case CONVERSATION_ID ->
            conversation = value instanceof String s ? SpanRows.idValue(s) : null;
        case SESSION_ID -> session = value instanceof String s ? SpanRows.idValue(s) : null;
        case OWN_COST -> ownCost = ownCost(value);
        default -> {
          if (name.startsWith(CACHED_PREFIX)) {
            int i = CACHED_INPUT_TOKENS.indexOf(name);
            if (i >= 0) {
              cached[i] = count(value);
            }
          }
        }
      }
    }

    long cachedInputTokens() {
      for (Long count : cached) {
        if (count != null) {
          return count;
        }
      }
      return 0;
    }
  }

  /** A model name as stored: at most {@value SpanRows#MAX_ID_CHARS} characters, else none. */
  private static String modelName(Object value) {
    return value instanceof String name && !name.isBlank() && name.length() <= SpanRows.MAX_ID_CHARS
        ? SpanRows.clean(name)
        : null;
  }

  /** A token count given as a whole number or as the text of one. */
  private static Long count(Object value) {
    if (value instanceof Long n) {
      return n;
    }
    return value instanceof String text && DIGITS.matcher(text).matches()
        ? Long.parseLong(text)
        : null;
  }

  /** {@value #OWN_COST} as a number (or the text of one), when it is one worth believing. */
  static BigDecimal ownCost(Object value) {
    BigDecimal cost = null;
    if (value instanceof Double d && Double.isFinite(d)) {
      cost = BigDecimal.valueOf(d);
    } else if (value instanceof Long n) {
      cost = BigDecimal.valueOf(n);
    } else if (value instanceof String text && DECIMAL.matcher(text.strip()).matches()) {
      cost = new BigDecimal(text.strip());
    }
    if (cost == null || cost.signum() < 0 || cost.compareTo(MAX_OWN_COST) > 0) {
      return null;
    }
    return cost;
  }

  /** Plain decimal text without trailing zeros, as {@code numeric} takes it. */
  private static String plain(BigDecimal cost) {
    BigDecimal stripped = cost.stripTrailingZeros();
    return (stripped.scale() < 0 ? stripped.setScale(0) : stripped).toPlainString();
  }
}
