package io.aard.ingest;

/**
 * What the {@code database} exporter has done since start-up.
 *
 * @param exported spans written to {@code execution_traces}
 * @param retried failed write attempts that were retried
 * @param dropped spans given up: dropped from the batch processor's full queue or from a full
 *     buffer, or unwritable at shutdown
 * @param pending spans waiting to be written
 * @param capacity the most spans kept while the database is unreachable
 * @param lastError the last write failure, or {@code null}
 * @param connected whether the writer is attached (false until the application has started)
 */
public record ExporterStats(
    long exported,
    long retried,
    long dropped,
    long pending,
    int capacity,
    String lastError,
    boolean connected) {}
