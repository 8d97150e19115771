/**
 * How spans get into the store (the write side): the {@code database} exporter, its bounded buffer,
 * the writer threads that drain it, the batch insert, and the monthly partitions of {@code
 * execution_traces}.
 */
package io.aard.ingest;
