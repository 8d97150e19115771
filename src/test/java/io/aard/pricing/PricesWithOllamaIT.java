package io.aard.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aard.testing.Api;
import io.aard.testing.Api.Reply;
import io.aard.testing.Deployments;
import io.aard.testing.FakeOllama;
import io.aard.testing.SpanTable;
import java.math.BigDecimal;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Prices on the server with API keys and the Ollama provider: a reader may read the table but not
 * change it, and once an operator prices the served model, AARD's own {@code ollama.generate} spans
 * cost their tokens times that price.
 */
@ExtendWith(ArquillianExtension.class)
class PricesWithOllamaIT {

  /** The model the Ollama test server asks for (its server.env). */
  private static final String MODEL = "fake-llama";

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.aard();
  }

  private final Api operator = new Api();
  private final Api reader = operator.withApiKey(System.getProperty("aard.it.reader.key"));
  private final Api ingest = operator.withApiKey(System.getProperty("aard.it.ingest.key"));
  private final Api anonymous = operator.withApiKey(null);

  @Test
  void aReaderReadsPricesAndOnlyAnOperatorChangesThem() {
    String model = "it-refused-" + java.util.UUID.randomUUID();
    assertEquals(200, reader.get("/api/prices").status());
    String body = "{\"input_per_million\": 1, \"output_per_million\": 2}";
    Reply refused = put(reader, model, body);
    assertEquals(403, refused.status(), refused.body());
    assertTrue(refused.json().getString("error").contains("operator"), refused.body());
    assertEquals(403, delete(reader, model).status());
    assertEquals(403, put(ingest, model, body).status());
    assertEquals(401, put(anonymous, model, body).status());
    assertEquals(401, anonymous.get("/api/prices").status());
    assertEquals(404, delete(operator, model).status(), "nothing was stored");
  }

  @Test
  void ollamaModelCallsCostTheirTokensTimesThePriceSet() throws Exception {
    try (FakeOllama ollama =
        new FakeOllama(Integer.getInteger("aard.it.fake.ollama.port", 9281)).start()) {
      Reply priced =
          put(
              operator,
              MODEL,
              "{\"input_per_million\": 0.2, \"output_per_million\": 0.8,"
                  + " \"cached_input_per_million\": 0.05}");
      assertTrue(priced.status() == 201 || priced.status() == 200, priced.body());
      try {
        String taskId = operator.createTask("Say hello to the operators");
        Reply planned = operator.post("/api/tasks/" + taskId + "/plan");
        assertEquals(201, planned.status(), planned.body());
        List<SpanTable.Row> calls =
            SpanTable.await(
                "SELECT input_tokens, output_tokens, cost_usd, model FROM execution_traces"
                    + " WHERE task_id = ? AND operation_name = 'ollama.generate'",
                taskId,
                rows -> rows.size() >= 2,
                Duration.ofSeconds(30));
        for (SpanTable.Row call : calls) {
          assertEquals(MODEL, call.get("model"));
          BigDecimal expected =
              new BigDecimal(call.get("input_tokens"))
                  .multiply(new BigDecimal("0.2"))
                  .add(new BigDecimal(call.get("output_tokens")).multiply(new BigDecimal("0.8")))
                  .movePointLeft(6);
          assertTrue(expected.signum() > 0, call.toString());
          assertEquals(
              0, expected.compareTo(new BigDecimal(call.get("cost_usd"))), call.toString());
        }
      } finally {
        delete(operator, MODEL);
      }
    }
  }

  private static Reply put(Api api, String model, String body) {
    return api.send(
        HttpRequest.newBuilder(api.uri("/api/prices/" + model))
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(body)));
  }

  private static Reply delete(Api api, String model) {
    return api.send(HttpRequest.newBuilder(api.uri("/api/prices/" + model)).DELETE());
  }
}
