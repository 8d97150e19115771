package io.aard.ingest;

import java.util.List;

/** Where the exporter's writer puts a batch: the database, in production. */
interface SpanInserter {

  /**
   * Writes the rows; a row already stored is left as it is.
   *
   * @throws RuntimeException when the batch could not be written; it will be retried
   */
  void write(List<SpanRow> rows);
}
