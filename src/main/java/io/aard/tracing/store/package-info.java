/**
 * AARD's own span store: the {@code database} exporter, its bounded buffer and writer, and the
 * monthly partitions of {@code execution_traces}.
 */
package io.aard.tracing.store;
