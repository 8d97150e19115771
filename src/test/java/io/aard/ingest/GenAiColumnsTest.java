package io.aard.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.aard.pricing.ModelPrice;
import io.aard.pricing.PriceTable;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.trace.TestSpanData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The model, session and cost columns, as the span writers fill them from a span's attributes. */
class GenAiColumnsTest {

  private static final PriceTable PRICES =
      PriceTable.of(
          List.of(price("gpt-4o-mini*", "0.15", "0.6", "0.075"), price("llama*", "0", "0", null)));

  private final AtomicReference<PriceTable> current = new AtomicReference<>(PRICES);
  private final SpanRows rows = new SpanRows(Map.of(), current::get);

  @Test
  void aModelCallIsPricedByItsResponseModel() {
    SpanRow row =
        row(
            a ->
                a.put("gen_ai.request.model", "gpt-4o-mini")
                    .put("gen_ai.response.model", "gpt-4o-mini-2024-07-18")
                    .put("gen_ai.usage.input_tokens", 1000L)
                    .put("gen_ai.usage.output_tokens", 300L));
    assertEquals("gpt-4o-mini-2024-07-18", row.model());
    assertEquals("0.00033", row.costUsd(), "1000 x 0.15 + 300 x 0.6, per million");
  }

  @Test
  void cachedInputTokensCostTheCachedPrice() {
    SpanRow row =
        row(
            a ->
                a.put("gen_ai.request.model", "gpt-4o-mini")
                    .put("gen_ai.usage.input_tokens", 1000L)
                    .put("gen_ai.usage.cache_read.input_tokens", 400L)
                    .put("gen_ai.usage.output_tokens", "0"));
    assertEquals("0.00012", row.costUsd());
  }

  @Test
  void aCostTheSpanCarriesIsKept() {
    assertEquals(
        "0.5",
        row(a ->
                a.put("gen_ai.request.model", "gpt-4o-mini")
                    .put("gen_ai.usage.input_tokens", 1000L)
                    .put("gen_ai.usage.cost", 0.5))
            .costUsd());
    assertEquals(
        "0.0123", row(a -> a.put("gen_ai.usage.cost", "0.0123")).costUsd(), "even unpriced");
    // Not believable: priced instead.
    assertEquals(
        "0.00015",
        row(a ->
                a.put("gen_ai.request.model", "gpt-4o-mini")
                    .put("gen_ai.usage.input_tokens", 1000L)
                    .put("gen_ai.usage.cost", -3.0))
            .costUsd());
    assertNull(row(a -> a.put("gen_ai.usage.cost", "lots")).costUsd());
  }

  @Test
  void spansWithoutAPriceOrTokensHaveNoCost() {
    assertNull(
        row(a -> a.put("gen_ai.request.model", "mystery-1").put("gen_ai.usage.input_tokens", 5L))
            .costUsd(),
        "unknown model");
    assertNull(row(a -> a.put("gen_ai.request.model", "gpt-4o-mini")).costUsd(), "no tokens");
    assertNull(row(a -> a.put("http.route", "/api/tasks")).model());
    assertEquals(
        "0",
        row(a -> a.put("gen_ai.request.model", "llama3.2").put("gen_ai.usage.input_tokens", 5L))
            .costUsd(),
        "a local model costs nothing, which is not the same as no cost");
  }

  @Test
  void aPriceChangeAppliesToSpansConvertedAfterIt() {
    SpanRow before =
        row(
            a ->
                a.put("gen_ai.request.model", "llama3.2")
                    .put("gen_ai.usage.output_tokens", 2_000_000L));
    current.set(PriceTable.of(List.of(price("llama*", "0", "0.5", null))));
    SpanRow after =
        row(
            a ->
                a.put("gen_ai.request.model", "llama3.2")
                    .put("gen_ai.usage.output_tokens", 2_000_000L));
    assertEquals("0", before.costUsd());
    assertEquals("1", after.costUsd());
  }

  @Test
  void theSessionComesFromTheConversationIdThenSessionId() {
    String task = "3F1C2D4E-5B6A-4C7D-8E9F-0A1B2C3D4E5F";
    assertEquals(
        task.toLowerCase(),
        row(a -> a.put("gen_ai.conversation.id", task).put("session.id", "s-1")).sessionId());
    assertEquals("s-1", row(a -> a.put("session.id", "s-1")).sessionId());
    assertNull(row(a -> a.put("gen_ai.conversation.id", "x".repeat(257))).sessionId());
    assertNull(row(a -> a.put("aard.task_id", task)).sessionId());
  }

  private SpanRow row(Consumer<AttributesBuilder> attributes) {
    AttributesBuilder builder = Attributes.builder();
    attributes.accept(builder);
    Attributes built = builder.build();
    SpanData span =
        TestSpanData.builder()
            .setSpanContext(
                SpanContext.create(
                    "5b8efff798038103d269b633813fc60c",
                    "eee19b7ec3c1b174",
                    TraceFlags.getSampled(),
                    TraceState.getDefault()))
            .setName("chat")
            .setKind(SpanKind.CLIENT)
            .setStartEpochNanos(1_764_000_000_000_000_000L)
            .setEndEpochNanos(1_764_000_000_005_000_000L)
            .setStatus(StatusData.unset())
            .setHasEnded(true)
            .setTotalRecordedEvents(0)
            .setTotalRecordedLinks(0)
            .setAttributes(built)
            .setTotalAttributeCount(built.size())
            .setResource(
                Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "agent")))
            .build();
    return rows.row(span, true);
  }

  private static ModelPrice price(String model, String input, String output, String cached) {
    return new ModelPrice(
        model,
        new BigDecimal(input),
        new BigDecimal(output),
        cached == null ? null : new BigDecimal(cached),
        "test",
        Instant.EPOCH);
  }
}
