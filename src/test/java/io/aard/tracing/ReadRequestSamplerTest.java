package io.aard.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReadRequestSamplerTest {

  private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";

  private static SamplingDecision decide(Sampler sampler, SpanKind kind, String path) {
    Attributes attributes =
        path == null ? Attributes.empty() : Attributes.builder().put("url.path", path).build();
    return sampler
        .shouldSample(Context.root(), TRACE_ID, "GET", kind, attributes, List.of())
        .getDecision();
  }

  @ParameterizedTest
  @CsvSource({
    "/api/traces, DROP",
    "/api/traces/, DROP",
    "/api/traces/0af7651916cd43dd8448eb211c80319c/spans, DROP",
    "/api/traces/stats/summary, DROP",
    "/, DROP",
    "/index.html, DROP",
    "/js/api.js, DROP",
    "/api/tasks, RECORD_AND_SAMPLE",
    "/api/tasks/1/plan, RECORD_AND_SAMPLE",
    "/api/tracesx, RECORD_AND_SAMPLE",
    "/api/agents, RECORD_AND_SAMPLE",
  })
  void serverSpansOfTheViewerAreDroppedAndThePlatformsKept(String path, SamplingDecision expected) {
    Sampler sampler = ReadRequestSampler.wrap(Sampler.alwaysOn(), false);
    assertEquals(expected, decide(sampler, SpanKind.SERVER, path));
  }

  @ParameterizedTest
  @CsvSource({"INTERNAL", "CLIENT", "PRODUCER", "CONSUMER"})
  void onlyServerSpansAreJudged(SpanKind kind) {
    Sampler sampler = ReadRequestSampler.wrap(Sampler.alwaysOn(), false);
    assertEquals(SamplingDecision.RECORD_AND_SAMPLE, decide(sampler, kind, "/api/traces"));
  }

  @Test
  void keptSpansAreDecidedByTheConfiguredSampler() {
    Sampler off = ReadRequestSampler.wrap(Sampler.alwaysOff(), false);
    assertEquals(SamplingDecision.DROP, decide(off, SpanKind.SERVER, "/api/tasks"));
    Sampler on = ReadRequestSampler.wrap(Sampler.alwaysOn(), false);
    assertEquals(SamplingDecision.RECORD_AND_SAMPLE, decide(on, SpanKind.SERVER, null));
  }

  @ParameterizedTest
  @CsvSource({"true, true", "false, false", "'', false", "TRUE, true"})
  void tracingTheViewerIsOneKey(String value, boolean traced) {
    Map<String, String> props =
        TracingSettings.otelProperties(Map.of("TRACING_TRACE_VIEWER", value)::get);
    assertEquals(Boolean.toString(traced), props.get(ReadRequestSampler.PROPERTY));
    Sampler configured = Sampler.alwaysOn();
    Sampler wrapped = ReadRequestSampler.wrap(configured, traced);
    assertEquals(
        SamplingDecision.DROP,
        decide(wrapped, SpanKind.SERVER, "/v1/traces"),
        "the OTLP receiver's own requests are never traced");
    assertEquals(
        traced ? SamplingDecision.RECORD_AND_SAMPLE : SamplingDecision.DROP,
        decide(wrapped, SpanKind.SERVER, "/api/traces"));
  }

  @ParameterizedTest
  @CsvSource({"yes", "1", "on"})
  void aBadValueNamesTheKey(String value) {
    String message =
        assertThrows(
                IllegalArgumentException.class,
                () -> TracingSettings.read(Map.of("TRACING_TRACE_VIEWER", value)::get))
            .getMessage();
    assertTrue(message.startsWith("TRACING_TRACE_VIEWER='" + value + "'"), message);
  }
}
