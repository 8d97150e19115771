package io.aard.tracing;

import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.logging.Logger;

/**
 * Gives every exporter that {@code TRACING_EXPORTER} names a batch processor of its own ({@link
 * ExportPipeline}), instead of the SDK's one processor for all of them.
 *
 * <p>The SDK's autoconfiguration puts {@code database,otlp} behind one batch processor with one
 * queue and one worker thread, whose export waits for every exporter: an OTLP collector that
 * accepts connections and never answers holds that worker for {@code otel.bsp.export.timeout} per
 * batch, the shared queue fills, and the database copy's spans are dropped with the collector's.
 * The autoconfiguration offers no way to build one processor per exporter, so this takes every
 * exporter from the exporter customizer (handing the SDK a stand-in that does nothing), and
 * replaces the processors the SDK built around the stand-ins with one per real exporter. The SDK's
 * own processors are shut down at once: they hold only stand-ins, so nothing is flushed or closed.
 *
 * <p>One instance serves one build of the SDK (one {@code customize} call): the SDK calls the
 * exporter customizer for every exporter before it calls the processor customizer.
 */
public final class ExportPipelines {

  private static final Logger LOG = Logger.getLogger(ExportPipelines.class.getName());

  /** The application's pipelines, for {@link #stats()}; empty until the SDK is built. */
  private static volatile List<ExportPipeline> current = List.of();

  /** What one exporter's pipeline has done since start-up. */
  public record Stats(String exporter, long exported, long failed, long dropped) {}

  private final List<NamedExporter> exporters = new ArrayList<>();
  private boolean built;

  private record NamedExporter(String name, SpanExporter exporter) {}

  /**
   * The exporter customizer: keeps {@code exporter}, sanitizing, for a pipeline of its own, and
   * returns the stand-in the SDK's own processor will hold.
   */
  synchronized SpanExporter take(SpanExporter exporter, ConfigProperties config) {
    exporters.add(
        new NamedExporter(
            nameOf(exporter), SanitizingSpanExporter.wrap(exporter, SpanSanitizer.from(config))));
    return new StandIn();
  }

  /**
   * The processor customizer: shuts {@code sdkProcessor} down and returns, the first time, every
   * exporter's pipeline; later calls (the SDK builds a second processor when {@code console} is
   * named too) return a processor that does nothing.
   */
  synchronized SpanProcessor replace(SpanProcessor sdkProcessor, ConfigProperties config) {
    sdkProcessor.shutdown();
    if (built) {
      return Nothing.INSTANCE;
    }
    built = true;
    List<ExportPipeline> pipelines = new ArrayList<>();
    for (NamedExporter named : exporters) {
      pipelines.add(new ExportPipeline(named.name(), named.exporter(), config));
    }
    current = List.copyOf(pipelines);
    LOG.info(
        "Spans are exported to "
            + String.join(", ", pipelines.stream().map(ExportPipeline::name).toList())
            + ", each through a batch processor and queue of its own");
    return RefusedRequestFilter.wrap(
        SpanProcessor.composite(pipelines.stream().map(ExportPipeline::processor).toList()));
  }

  /** Every exporter's counters, in the order {@code TRACING_EXPORTER} names them. */
  public static List<Stats> stats() {
    return current.stream().map(ExportPipeline::stats).toList();
  }

  /** Spans dropped from the named exporter's full queue; 0 when it has none. */
  public static long droppedFromQueue(String exporter) {
    return current.stream()
        .filter(p -> p.name().equals(exporter))
        .mapToLong(p -> p.stats().dropped())
        .sum();
  }

  /**
   * The name in {@code otel.traces.exporter} of one of the exporters AARD accepts (console, otlp,
   * database); another exporter (set through {@code otel.traces.exporter} directly) by its class.
   */
  static String nameOf(SpanExporter exporter) {
    String type = exporter.getClass().getName();
    if (type.startsWith("io.opentelemetry.exporter.otlp.")) {
      return "otlp";
    }
    if (type.startsWith("io.opentelemetry.exporter.logging.")) {
      return "console";
    }
    if (type.equals("io.aard.ingest.DatabaseSpanExporter")) {
      return "database";
    }
    return exporter.getClass().getSimpleName().toLowerCase(Locale.ROOT);
  }

  /** What the SDK's own processor exports to: nothing. */
  private static final class StandIn implements SpanExporter {

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      return CompletableResultCode.ofSuccess();
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

  /** Takes the place of the SDK's second processor: every span is already exported. */
  private static final class Nothing implements SpanProcessor {

    static final Nothing INSTANCE = new Nothing();

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
  }
}
