package io.aard.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The exporter's sizes, read the same way by the SDK and by the writer. */
class DatabaseSpanExporterProviderTest {

  @ParameterizedTest
  @CsvSource(
      value = {"NULL, 20000", "'', 20000", "' 500 ', 500", "0, 1", "-3, 1", "50000, 50000"},
      nullValues = "NULL")
  void theBufferSizeComesFromItsPropertyOrTheDefault(String raw, int expected) {
    Map<String, String> config = new HashMap<>();
    config.put(DatabaseSpanExporterProvider.CAPACITY, raw);
    assertEquals(
        expected,
        DatabaseSpanExporterProvider.positive(
            config::get, DatabaseSpanExporterProvider.CAPACITY, 20_000));
  }

  @ParameterizedTest
  @CsvSource({"lots", "1.5", "99999999999"})
  void aValueThatIsNoWholeNumberNamesItsKey(String raw) {
    String message =
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    DatabaseSpanExporterProvider.positive(
                        Map.of(DatabaseSpanExporterProvider.BATCH_SIZE, raw)::get,
                        DatabaseSpanExporterProvider.BATCH_SIZE,
                        1000))
            .getMessage();
    assertTrue(message.startsWith("otel.exporter.database.batch.size='" + raw + "'"), message);
  }
}
