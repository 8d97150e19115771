package io.aard.llm;

import static io.aard.testing.FakeOllama.step;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aard.testing.Api;
import io.aard.testing.Api.Reply;
import io.aard.testing.Deployments;
import io.aard.testing.FakeOllama;
import io.aard.testing.FakeOllama.Behaviour;
import io.aard.testing.SpanTable;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The platform with {@code LLM_PROVIDER=ollama} against a fake Ollama that behaves like a real
 * small model: it follows the schema it is given but picks pairs as loosely as the schema allows,
 * answers off-schema now and then, answers 503 while "loading", and can be slow.
 */
@ExtendWith(ArquillianExtension.class)
class PlanRunsWithOllamaIT {

  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final Map<String, Set<String>> TOOLS_OF =
      Map.of(
          "researcher", Set.of("http_get", "llm"),
          "analyst", Set.of("calculator", "text"),
          "writer", Set.of("llm", "text"));

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
            .slowDelay(Duration.ofSeconds(60))
            .start();
  }

  @AfterEach
  void stopOllama() {
    ollama.close();
  }

  @Test
  void aModelThatPicksAgentAndToolIndependentlyStillMakesAPlanThatFits() {
    ollama.respondWith(Behaviour.INDEPENDENT_PAIRS);

    Reply planned = plan("Calculate 2 + 3, then fetch a page and summarise it");

    assertEquals(201, planned.status(), planned.body());
    for (JsonValue value : planned.json().getJsonArray("steps")) {
      JsonObject step = value.asJsonObject();
      assertTrue(
          TOOLS_OF.get(step.getString("agent_name")).contains(step.getString("tool_name")),
          step.toString());
    }
    JsonObject decomposition = ollama.requests().get(1).getJsonObject("format");
    JsonObject items =
        decomposition.getJsonObject("properties").getJsonObject("steps").getJsonObject("items");
    assertEquals(3, items.getJsonArray("anyOf").size(), "one branch per agent: " + items);
  }

  @Test
  void anAnswerOffTheSchemaIsAskedAgainAndTheNextOneIsUsed() throws Exception {
    ollama.script(Behaviour.NORMAL, Behaviour.OFF_SCHEMA, Behaviour.NORMAL);

    Reply planned = plan("Summarise the incident report");

    assertEquals(201, planned.status(), planned.body());
    List<JsonObject> requests = ollama.requests();
    assertEquals(3, requests.size());
    assertTrue(
        FakeOllama.lastMessage(requests.get(2), "user").startsWith("Your answer was rejected: "),
        requests.get(2).toString());
    List<SpanTable.Row> attempts = decomposeSpans(planned.json().getString("id"), 2);
    assertEquals("ERROR", attempts.get(0).get("status"));
    assertEquals("schema_mismatch", attempts.get(0).get("error_type"));
    assertEquals("1", attempts.get(0).get("attempt"));
    assertEquals("UNSET", attempts.get(1).get("status"));
    assertEquals("2", attempts.get(1).get("attempt"));
  }

  @Test
  void aModelThatIsStillLoadingIsRetried() throws Exception {
    ollama.script(Behaviour.LOADING, Behaviour.NORMAL, Behaviour.LOADING, Behaviour.NORMAL);

    Reply planned = plan("Summarise the incident report");

    assertEquals(201, planned.status(), planned.body());
    assertEquals(2, ollama.served(Behaviour.LOADING));
    List<SpanTable.Row> attempts = decomposeSpans(planned.json().getString("id"), 2);
    assertEquals("503", attempts.get(0).get("error_type"));
    assertEquals("UNSET", attempts.get(1).get("status"));
  }

  @Test
  void aStepsResultReachesTheModelOfALaterStep() {
    ollama.answerDecomposeWith(
        step("Compute the product", "analyst", "calculator", "17 * 23"),
        step(
            "Write about it",
            "writer",
            "llm",
            "Write one sentence about the result {{steps.0.output}}"));
    String planId =
        plan("Compute 17 * 23, then write one sentence about the result").json().getString("id");

    JsonObject done = api.post("/api/plans/" + planId + "/execute").json();

    assertEquals("COMPLETED", done.getString("status"), done.toString());
    JsonObject last = done.getJsonArray("steps").getJsonObject(1);
    assertEquals("Write one sentence about the result 391", last.getString("resolved_input"));
    assertTrue(last.getString("output").contains("391"), last.getString("output"));
    JsonObject completion = ollama.requests().get(ollama.requests().size() - 1);
    String system = FakeOllama.lastMessage(completion, "system");
    assertTrue(
        system.contains("Compute 17 * 23") && system.contains("step 0 (Compute the product): 391"),
        system);
  }

  @Test
  void aStepWaitingForASlowModelIsCancelled() {
    ollama.answerDecomposeWith(
        step("Greet", "writer", "llm", "Say hello"),
        step("Count", "analyst", "text", "word_count: a b"));
    String planId = plan("Say hello, then count the words in 'a b'").json().getString("id");
    ollama.respondWith(Behaviour.SLOW);
    Reply accepted =
        api.send(
            HttpRequest.newBuilder(api.uri("/api/plans/" + planId + "/execute"))
                .header("Prefer", "respond-async")
                .POST(HttpRequest.BodyPublishers.noBody()));
    assertEquals(202, accepted.status(), accepted.body());
    await().atMost(PATIENCE).until(() -> ollama.served(Behaviour.SLOW) == 1);

    Reply cancelled = api.post("/api/plans/" + planId + "/cancel");

    assertEquals(200, cancelled.status(), cancelled.body());
    JsonObject plan = api.get("/api/plans/" + planId).json();
    assertEquals("CANCELLED", plan.getString("status"));
    assertEquals("CANCELLED", plan.getJsonArray("steps").getJsonObject(0).getString("status"));
    assertEquals("PENDING", plan.getJsonArray("steps").getJsonObject(1).getString("status"));
  }

  @Test
  void aRealisticModelStillPlansAndRunsEveryTask() {
    ollama.realistic(20261201L, Duration.ofMillis(300));

    for (String task :
        List.of(
            "Summarise the incident report",
            "Calculate 12 * 12, then write a haiku about the result",
            "Count the words in 'observability for agents', then explain why it matters")) {
      Reply planned = plan(task);
      assertEquals(201, planned.status(), task + ": " + planned.body());
      JsonObject done =
          api.post("/api/plans/" + planned.json().getString("id") + "/execute").json();
      assertEquals("COMPLETED", done.getString("status"), task + ": " + done);
    }
    assertTrue(
        ollama.served(Behaviour.OFF_SCHEMA) + ollama.served(Behaviour.LOADING) > 0,
        "the model misbehaved at least once: " + ollama.servedCounts());
  }

  private Reply plan(String description) {
    return api.post("/api/tasks/" + api.createTask(description) + "/plan");
  }

  private static List<SpanTable.Row> decomposeSpans(String planId, int count) throws Exception {
    return SpanTable.await(
        "SELECT status, attributes->>'error.type' AS error_type,"
            + " attributes->>'aard.llm.attempt' AS attempt FROM execution_traces"
            + " WHERE plan_id = ? AND operation_name = 'ollama.generate'"
            + " AND attributes->>'aard.llm.purpose' = 'decompose' ORDER BY start_time",
        planId,
        rows -> rows.size() == count,
        PATIENCE);
  }
}
