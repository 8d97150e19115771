package io.aard.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleCounterBuilder;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongCounterBuilder;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.MeterBuilder;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.api.metrics.ObservableLongCounter;
import io.opentelemetry.api.metrics.ObservableLongMeasurement;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessorBuilder;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One exporter behind a batch processor of its own: its own bounded queue and its own worker
 * thread, so that an exporter that hangs (an OTLP collector that accepts connections and never
 * answers) fills and drops only its own queue and never delays another exporter's spans.
 *
 * <p>It counts what the SDK does not report otherwise: spans the exporter took ({@code exported}),
 * spans whose export failed or timed out ({@code failed}), and spans the queue dropped because it
 * was full ({@code dropped}, read from the processor's own {@code processedSpans} counter).
 */
final class ExportPipeline {

  /** The attribute the SDK's batch processor puts on spans it drops from a full queue. */
  private static final AttributeKey<Boolean> DROPPED = AttributeKey.booleanKey("dropped");

  private final String name;
  private final AtomicLong exported = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final SpanProcessor processor;

  /**
   * @param name the exporter's name in {@code otel.traces.exporter}
   * @param exporter the exporter, already sanitizing
   * @param config the SDK's configuration: {@code otel.bsp.*} sizes each queue as it would the
   *     SDK's one shared queue
   */
  ExportPipeline(String name, SpanExporter exporter, ConfigProperties config) {
    this.name = name;
    BatchSpanProcessorBuilder builder =
        BatchSpanProcessor.builder(new Counting(exporter)).setMeterProvider(new DropMeter());
    Duration delay = config.getDuration("otel.bsp.schedule.delay");
    if (delay != null) {
      builder.setScheduleDelay(delay);
    }
    Integer queue = config.getInt("otel.bsp.max.queue.size");
    if (queue != null) {
      builder.setMaxQueueSize(queue);
    }
    Integer batch = config.getInt("otel.bsp.max.export.batch.size");
    if (batch != null) {
      builder.setMaxExportBatchSize(batch);
    }
    Duration timeout = config.getDuration("otel.bsp.export.timeout");
    if (timeout != null) {
      builder.setExporterTimeout(timeout);
    }
    this.processor = builder.build();
  }

  String name() {
    return name;
  }

  SpanProcessor processor() {
    return processor;
  }

  /** A snapshot of the counters. */
  ExportPipelines.Stats stats() {
    return new ExportPipelines.Stats(name, exported.get(), failed.get(), dropped.get());
  }

  /** Counts the outcome of each export; passes everything else through. */
  private final class Counting implements SpanExporter {

    private final SpanExporter delegate;

    Counting(SpanExporter delegate) {
      this.delegate = delegate;
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      int count = spans.size();
      CompletableResultCode result;
      try {
        result = delegate.export(spans);
      } catch (RuntimeException e) {
        failed.addAndGet(count);
        throw e;
      }
      // Counted when the export ends, however late: the processor stops waiting for it after
      // otel.bsp.export.timeout, the exporter's own timeout ends it.
      result.whenComplete(() -> (result.isSuccess() ? exported : failed).addAndGet(count));
      return result;
    }

    @Override
    public CompletableResultCode flush() {
      return delegate.flush();
    }

    @Override
    public CompletableResultCode shutdown() {
      return delegate.shutdown();
    }

    @Override
    public String toString() {
      return delegate.toString();
    }
  }

  /**
   * The only instrument the batch processor records that is of use here: {@code processedSpans}
   * with {@code dropped=true}, one per span it refused from a full queue. Every other instrument is
   * the no-op one: no metric is exported.
   */
  private final class DropMeter implements MeterProvider {

    private final Meter noop = MeterProvider.noop().get("aard");

    @Override
    public MeterBuilder meterBuilder(String instrumentationScopeName) {
      return new MeterBuilder() {
        @Override
        public MeterBuilder setSchemaUrl(String schemaUrl) {
          return this;
        }

        @Override
        public MeterBuilder setInstrumentationVersion(String version) {
          return this;
        }

        @Override
        public Meter build() {
          return meter();
        }
      };
    }

    private Meter meter() {
      return new Meter() {
        @Override
        public LongCounterBuilder counterBuilder(String counter) {
          return new DropCounterBuilder(noop.counterBuilder(counter));
        }

        @Override
        public io.opentelemetry.api.metrics.LongUpDownCounterBuilder upDownCounterBuilder(
            String counter) {
          return noop.upDownCounterBuilder(counter);
        }

        @Override
        public io.opentelemetry.api.metrics.DoubleHistogramBuilder histogramBuilder(
            String histogram) {
          return noop.histogramBuilder(histogram);
        }

        @Override
        public io.opentelemetry.api.metrics.DoubleGaugeBuilder gaugeBuilder(String gauge) {
          return noop.gaugeBuilder(gauge);
        }
      };
    }
  }

  private final class DropCounterBuilder implements LongCounterBuilder {

    private final LongCounterBuilder noop;

    DropCounterBuilder(LongCounterBuilder noop) {
      this.noop = noop;
    }

    @Override
    public LongCounterBuilder setDescription(String description) {
      return this;
    }

    @Override
    public LongCounterBuilder setUnit(String unit) {
      return this;
    }

    @Override
    public DoubleCounterBuilder ofDoubles() {
      return noop.ofDoubles();
    }

    @Override
    public LongCounter build() {
      return new LongCounter() {
        @Override
        public void add(long value) {}

        @Override
        public void add(long value, Attributes attributes) {
          if (Boolean.TRUE.equals(attributes.get(DROPPED))) {
            dropped.addAndGet(value);
          }
        }

        @Override
        public void add(long value, Attributes attributes, Context context) {
          add(value, attributes);
        }
      };
    }

    @Override
    public ObservableLongCounter buildWithCallback(Consumer<ObservableLongMeasurement> callback) {
      return noop.buildWithCallback(callback);
    }
  }
}
