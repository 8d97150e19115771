package io.aard.ingest;

import io.aard.tracing.ExportPipelines;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * The {@code database} exporter's counters in {@code /health/ready}: exported, retried, dropped,
 * pending and the last error, and for each other exporter ({@code otlp}, {@code console}) the spans
 * it exported, failed to export and dropped from its full queue. DOWN only while the database
 * exporter's writer is not attached.
 */
@Readiness
@ApplicationScoped
public class SpanExporterHealth implements HealthCheck {

  @Inject SpanWriter writer;

  @Override
  public HealthCheckResponse call() {
    var response = HealthCheckResponse.named("span-exporter");
    // The other exporters, each behind a queue of its own: what they took, failed and dropped.
    for (ExportPipelines.Stats other : ExportPipelines.stats()) {
      if (!other.exporter().equals(DatabaseSpanExporterProvider.NAME)) {
        response
            .withData(other.exporter() + "_exported", other.exported())
            .withData(other.exporter() + "_failed", other.failed())
            .withData(other.exporter() + "_dropped", other.dropped());
      }
    }
    ExporterStats stats = writer.stats();
    if (stats == null) {
      return response.up().withData("database", "off").build();
    }
    response
        .withData("database", "on")
        .withData("exported", stats.exported())
        .withData("retried", stats.retried())
        .withData("dropped", stats.dropped())
        .withData("pending", stats.pending())
        .withData("capacity", stats.capacity())
        .withData(
            "last_error",
            // The driver's text may name the database's address: it is in the log, not here.
            stats.lastError() == null ? "none" : "writes are failing: see the server log");
    return stats.connected() ? response.up().build() : response.down().build();
  }
}
