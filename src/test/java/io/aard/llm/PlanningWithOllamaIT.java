package io.aard.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aard.testing.Api;
import io.aard.testing.Api.Reply;
import io.aard.testing.Deployments;
import io.aard.testing.FakeOllama;
import io.aard.testing.FakeOllama.Behaviour;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.time.Duration;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Planning and execution with {@code LLM_PROVIDER=ollama} on a real Liberty, against a fake Ollama
 * server speaking Ollama's HTTP API on the port the test server is configured with.
 */
@ExtendWith(ArquillianExtension.class)
class PlanningWithOllamaIT {

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.aard();
  }

  private final Api api = new Api();
  private FakeOllama ollama;

  @BeforeEach
  void startOllama() throws Exception {
    ollama =
        new FakeOllama(Integer.getInteger("aard.it.fake.ollama.port", 9281))
            .slowDelay(Duration.ofSeconds(30))
            .start();
  }

  @AfterEach
  void stopOllama() {
    ollama.close();
  }

  @Test
  void plansWithStructuredOutputAndExecutes() {
    String taskId = api.createTask("Say hello to the operators");
    Reply planned = api.post("/api/tasks/" + taskId + "/plan");
    assertEquals(201, planned.status(), planned.body());
    JsonObject plan = planned.json();
    assertEquals("ollama", plan.getString("provider"));
    assertEquals("fake-llama", plan.getString("model"));
    assertFalse(plan.getJsonArray("steps").isEmpty());

    List<JsonObject> requests = ollama.requests();
    assertEquals(2, requests.size(), "analyse and decompose: " + requests);
    for (JsonObject request : requests) {
      assertEquals("fake-llama", request.getString("model"));
      assertEquals(JsonValue.FALSE, request.get("stream"));
      JsonObject schema = request.getJsonObject("format");
      assertEquals("object", schema.getString("type"), "format holds the JSON schema");
    }
    assertTrue(
        requests.get(1).getJsonObject("format").getJsonObject("properties").containsKey("steps"));

    Reply executed = api.post("/api/plans/" + plan.getString("id") + "/execute");
    assertEquals(200, executed.status(), executed.body());
    JsonObject result = executed.json();
    assertEquals("COMPLETED", result.getString("status"), result.toString());
    String output = result.getJsonArray("steps").getJsonObject(0).getString("output");
    assertTrue(output.startsWith("Fake answer to:"), output);
  }

  @Test
  void unreachableOllamaIs503AndStoresNoPlan() {
    ollama.close();
    assertPlanningFails(503, "unreachable");
  }

  @Test
  void slowOllamaIs504() {
    ollama.respondWith(Behaviour.SLOW);
    assertPlanningFails(504, "did not answer");
  }

  @Test
  void unknownModelIs502WithOllamasMessage() {
    ollama.acceptOnly(List.of("some-other-model"));
    assertPlanningFails(502, "not found");
  }

  @Test
  void serverErrorIs502() {
    ollama.respondWith(Behaviour.HTTP_500);
    assertPlanningFails(502, "500");
  }

  @Test
  void answerOutsideTheSchemaIs502() {
    ollama.respondWith(Behaviour.OFF_SCHEMA);
    assertPlanningFails(502, "schema");
  }

  @Test
  void answerThatIsNotJsonIs502() {
    ollama.respondWith(Behaviour.NOT_JSON);
    assertPlanningFails(502, "JSON");
  }

  private void assertPlanningFails(int status, String messagePart) {
    String taskId = api.createTask("Summarise the incident report");
    Reply reply = api.post("/api/tasks/" + taskId + "/plan");
    assertEquals(status, reply.status(), reply.body());
    String error = reply.json().getString("error");
    assertTrue(error.contains(messagePart), error);
    assertFalse(reply.body().contains("Exception"), reply.body());
    JsonObject task = api.get("/api/tasks/" + taskId).json();
    assertEquals("CREATED", task.getString("status"), "no half-written plan");
    assertTrue(task.getJsonArray("plan_ids").isEmpty(), "no half-written plan");
  }
}
