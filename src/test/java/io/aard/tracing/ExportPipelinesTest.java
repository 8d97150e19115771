package io.aard.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ExportPipelinesTest {

  /** Small queues, so that the hanging exporter's overflows within the test. */
  private static final ConfigProperties CONFIG =
      new MapConfig(
          Map.of(
              "otel.bsp.schedule.delay", "50ms",
              "otel.bsp.max.queue.size", "64",
              "otel.bsp.max.export.batch.size", "16",
              "otel.bsp.export.timeout", "30s"));

  @Test
  void aHangingExporterNeitherDelaysNorDropsAnothersSpans() {
    ExportPipelines pipelines = new ExportPipelines();
    Hanging hanging = new Hanging();
    InMemorySpanExporter fast = InMemorySpanExporter.create();
    SpanExporter standInA = pipelines.take(hanging, CONFIG);
    SpanExporter standInB = pipelines.take(fast, CONFIG);
    AtomicBoolean sdkProcessorShutDown = new AtomicBoolean();
    SpanProcessor mine = pipelines.replace(new ShutdownWatch(sdkProcessorShutDown), CONFIG);
    try (SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(mine).build()) {
      Tracer tracer = provider.get("test");

      // 1,000 spans, in bursts the fast exporter's queue of 64 absorbs within its 50 ms delay.
      for (int burst = 0; burst < 20; burst++) {
        for (int i = 0; i < 50; i++) {
          tracer.spanBuilder("span").startSpan().end();
        }
        int expected = (burst + 1) * 50;
        await()
            .atMost(Duration.ofSeconds(5))
            .until(() -> fast.getFinishedSpanItems().size() == expected);
      }

      assertThat(hanging.calls.get()).isEqualTo(1);
      List<ExportPipelines.Stats> stats = ExportPipelines.stats();
      assertThat(stats).extracting(ExportPipelines.Stats::exporter).hasSize(2);
      ExportPipelines.Stats slow = stats.get(0);
      ExportPipelines.Stats quick = stats.get(1);
      assertThat(quick.exported()).isEqualTo(1000);
      assertThat(quick.dropped()).isZero();
      assertThat(quick.failed()).isZero();
      // The hanging exporter holds one batch (at most 16 spans); its queue keeps 64; the rest is
      // dropped, and counted.
      assertThat(slow.exported()).isZero();
      assertThat(slow.dropped()).isBetween(1000L - 16 - 64, 1000L - 1 - 64);
      assertThat(ExportPipelines.droppedFromQueue(slow.exporter())).isEqualTo(slow.dropped());
      assertThat(sdkProcessorShutDown).isTrue();
      assertThat(standInA.export(List.of()).isSuccess()).isTrue();
      assertThat(standInB).isNotSameAs(fast);
      hanging.release();
    }
  }

  @Test
  void everySpanIsSanitizedBeforeItsExporterSeesIt() {
    ExportPipelines pipelines = new ExportPipelines();
    InMemorySpanExporter exported = InMemorySpanExporter.create();
    pipelines.take(exported, CONFIG);
    SpanProcessor mine = pipelines.replace(SpanProcessor.composite(), CONFIG);
    try (SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(mine).build()) {
      provider
          .get("test")
          .spanBuilder("span")
          .setAttribute("http.request.header.authorization", "Bearer hunter2")
          .startSpan()
          .end();
      provider.forceFlush().join(5, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(exported.getFinishedSpanItems()).hasSize(1);
      assertThat(exported.getFinishedSpanItems().get(0).getAttributes().asMap().toString())
          .doesNotContain("hunter2");
    }
  }

  @Test
  void aSecondSdkProcessorIsReplacedByOneThatDoesNothing() {
    ExportPipelines pipelines = new ExportPipelines();
    pipelines.take(InMemorySpanExporter.create(), CONFIG);
    pipelines.take(InMemorySpanExporter.create(), CONFIG);
    SpanProcessor first = pipelines.replace(SpanProcessor.composite(), CONFIG);
    AtomicBoolean shutDown = new AtomicBoolean();
    SpanProcessor second = pipelines.replace(new ShutdownWatch(shutDown), CONFIG);

    assertThat(first.isEndRequired()).isTrue();
    assertThat(second.isEndRequired()).isFalse();
    assertThat(second.isStartRequired()).isFalse();
    assertThat(shutDown).isTrue();
    first.shutdown().join(5, java.util.concurrent.TimeUnit.SECONDS);
  }

  @Test
  void exportersAreNamedAsInTracingExporter() {
    assertThat(ExportPipelines.nameOf(InMemorySpanExporter.create()))
        .isEqualTo("inmemoryspanexporter");
    assertThat(
            ExportPipelines.nameOf(
                io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter.builder().build()))
        .isEqualTo("otlp");
  }

  /** An exporter whose export never ends until released: a collector that never answers. */
  private static final class Hanging implements SpanExporter {
    final AtomicInteger calls = new AtomicInteger();
    private final CompletableResultCode pending = new CompletableResultCode();

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      calls.incrementAndGet();
      return pending;
    }

    void release() {
      pending.succeed();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }

  /** Stands for the SDK's own processor: records that it was shut down. */
  private static final class ShutdownWatch implements SpanProcessor {
    private final AtomicBoolean shutDown;

    ShutdownWatch(AtomicBoolean shutDown) {
      this.shutDown = shutDown;
    }

    @Override
    public void onStart(
        io.opentelemetry.context.Context parentContext,
        io.opentelemetry.sdk.trace.ReadWriteSpan span) {}

    @Override
    public boolean isStartRequired() {
      return false;
    }

    @Override
    public void onEnd(io.opentelemetry.sdk.trace.ReadableSpan span) {}

    @Override
    public boolean isEndRequired() {
      return false;
    }

    @Override
    public CompletableResultCode shutdown() {
      shutDown.set(true);
      return CompletableResultCode.ofSuccess();
    }
  }

  /** The SDK's configuration from a map, as autoconfiguration reads it. */
  private record MapConfig(Map<String, String> values) implements ConfigProperties {

    @Override
    public String getString(String name) {
      return values.get(name);
    }

    @Override
    public Boolean getBoolean(String name) {
      String v = values.get(name);
      return v == null ? null : Boolean.valueOf(v);
    }

    @Override
    public Integer getInt(String name) {
      String v = values.get(name);
      return v == null ? null : Integer.valueOf(v);
    }

    @Override
    public Long getLong(String name) {
      String v = values.get(name);
      return v == null ? null : Long.valueOf(v);
    }

    @Override
    public Double getDouble(String name) {
      String v = values.get(name);
      return v == null ? null : Double.valueOf(v);
    }

    @Override
    public Duration getDuration(String name) {
      String v = values.get(name);
      if (v == null) {
        return null;
      }
      return v.endsWith("ms")
          ? Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)))
          : Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
    }

    @Override
    public List<String> getList(String name) {
      String v = values.get(name);
      return v == null ? List.of() : List.of(v.split(","));
    }

    @Override
    public Map<String, String> getMap(String name) {
      return Map.of();
    }
  }
}
