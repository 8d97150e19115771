package io.aard.ingest;

import io.opentelemetry.sdk.trace.data.SpanData;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Test-only endpoint that the ingest benchmark adds to the WAR it deploys: pushes generated spans
 * through the running application's own {@link DatabaseSpanExporter} (export → buffer → writer
 * thread → {@link JpaSpanInserter} through the persistence unit) and times them until its exported
 * counter covers them. Production code carries no such endpoint.
 */
@Path("bench/ingest")
public class IngestBenchResource {

  /** What the SDK's batch processor hands over at most per {@code export} call. */
  private static final int EXPORT_BATCH = 512;

  private static final long DEADLINE_NANOS = TimeUnit.MINUTES.toNanos(5);

  /**
   * Generates {@code spans} spans (untimed), then exports them and waits until all are written. The
   * producer holds back while the buffer is nearly full, as a sustained load would settle: the
   * figure is what the writer sustains, not how fast the buffer fills.
   */
  @POST
  @Produces(MediaType.APPLICATION_JSON)
  public Response run(
      @QueryParam("spans") int spans,
      @QueryParam("seed") long seed,
      @QueryParam("base") long baseEpochMillis) {
    DatabaseSpanExporter exporter = DatabaseSpanExporter.current();
    if (exporter == null || !exporter.stats().connected()) {
      return Response.status(503).entity("{\"error\":\"database exporter not attached\"}").build();
    }
    List<SpanData> all = BenchSpans.all(seed, spans, baseEpochMillis);
    long deadline = System.nanoTime() + DEADLINE_NANOS;
    awaitIdle(exporter, deadline);

    ExporterStats before = exporter.stats();
    long highWater = Math.max(EXPORT_BATCH, before.capacity() - 2L * EXPORT_BATCH);
    long start = System.nanoTime();
    for (int from = 0; from < all.size(); from += EXPORT_BATCH) {
      while (exporter.pending() > highWater && System.nanoTime() < deadline) {
        LockSupport.parkNanos(100_000);
      }
      exporter.export(all.subList(from, Math.min(all.size(), from + EXPORT_BATCH)));
    }
    long target = before.exported() + spans;
    while (exporter.stats().exported() < target && System.nanoTime() < deadline) {
      LockSupport.parkNanos(500_000);
    }
    long nanos = System.nanoTime() - start;
    ExporterStats after = exporter.stats();
    return Response.ok(
            "{\"spans\":"
                + spans
                + ",\"nanos\":"
                + nanos
                + ",\"exported\":"
                + (after.exported() - before.exported())
                + ",\"dropped\":"
                + (after.dropped() - before.dropped())
                + ",\"retried\":"
                + (after.retried() - before.retried())
                + "}")
        .build();
  }

  private static void awaitIdle(DatabaseSpanExporter exporter, long deadline) {
    while (exporter.pending() > 0 && System.nanoTime() < deadline) {
      LockSupport.parkNanos(1_000_000);
    }
  }
}
