package io.aard.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A protocol-faithful stand-in for an Ollama server, for tests that cannot run a model.
 *
 * <p>It speaks Ollama's HTTP API: {@code POST /api/chat} (streamed as NDJSON unless {@code
 * "stream": false}, like Ollama), {@code GET /api/tags}, {@code GET /api/version} and {@code GET
 * /}. Errors have Ollama's status codes and {@code {"error": "..."}} bodies; a path or method it
 * does not serve gets Ollama's plain {@code 404 page not found}.
 *
 * <p>When a chat request's {@code format} is a JSON schema, the answer is an instance generated
 * from that schema: every property, each enum's first value, one item per array (or {@code
 * minItems}). A step with {@code agent} and {@code tool} enums gets a consistent pair: {@code llm}
 * if offered, else the first tool, with the first agent whose line in the system prompt mentions
 * that tool, as a model reading the prompt would choose. Without {@code format} the answer is
 * {@code Fake answer to: <first 50 characters of the last user message>}.
 *
 * <p>Every setter is safe to call while requests are in flight. One instance serves one {@link
 * #start()}–{@link #stop()} cycle.
 *
 * <pre>{@code
 * try (FakeOllama ollama = new FakeOllama(0).start()) {
 *   ollama.respondWith(FakeOllama.Behaviour.NOT_JSON);
 *   ... point OLLAMA_BASE_URL at ollama.baseUrl() ...
 *   assertEquals(false, ollama.requests().get(0).getBoolean("stream"));
 * }
 * }</pre>
 */
public final class FakeOllama implements AutoCloseable {

  /** How the fake answers chat requests for a known model. */
  public enum Behaviour {
    /** Like Ollama: an instance of the requested schema, or a short text. */
    NORMAL,
    /** Valid JSON that does not fit the requested schema (for a plan: tool {@code hammer}). */
    OFF_SCHEMA,
    /** Prose instead of JSON, as a model that ignores {@code format} would answer. */
    NOT_JSON,
    /** HTTP 500 with Ollama's error body, as when the model runner crashes. */
    HTTP_500,
    /**
     * The normal answer, but only after {@link FakeOllama#slowDelay(Duration)}; {@link
     * FakeOllama#stop()} releases it without an answer.
     */
    SLOW
  }

  /** The version {@code GET /api/version} reports. */
  public static final String VERSION = "0.9.0";

  /** How long a {@link Behaviour#SLOW} answer is held back unless told otherwise. */
  public static final Duration DEFAULT_SLOW_DELAY = Duration.ofSeconds(60);

  /** The tool name {@link Behaviour#OFF_SCHEMA} puts where a schema expects one of its enums. */
  public static final String OFF_SCHEMA_VALUE = "hammer";

  /** The content {@link Behaviour#NOT_JSON} answers with. */
  public static final String NOT_JSON_CONTENT =
      "I think the plan is to first look at the task and then do it step by step.";

  private static final String DEFAULT_MODEL = "llama3.2:latest";
  private static final Predicate<String> ANY_BUT_MISSING = name -> !name.startsWith("missing");
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");
  private static final int ECHO_LENGTH = 50;

  private final int requestedPort;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final List<JsonObject> requests = new CopyOnWriteArrayList<>();
  private final Set<String> modelsSeen = Collections.synchronizedSet(new LinkedHashSet<>());

  private volatile Behaviour behaviour = Behaviour.NORMAL;
  private volatile Duration slowDelay = DEFAULT_SLOW_DELAY;
  private volatile List<String> allowedModels; // null: any model not starting with "missing"

  private HttpServer server;
  private ExecutorService executor;

  /**
   * @param port the port to listen on, on 127.0.0.1; 0 for an ephemeral one
   */
  public FakeOllama(int port) {
    this.requestedPort = port;
  }

  /** A fake on an ephemeral port. */
  public FakeOllama() {
    this(0);
  }

  /**
   * Starts listening.
   *
   * @throws IOException when the port cannot be bound
   * @throws IllegalStateException when it was started before
   */
  public synchronized FakeOllama start() throws IOException {
    if (server != null) {
      throw new IllegalStateException("a FakeOllama starts once; make a new one");
    }
    AtomicInteger threads = new AtomicInteger();
    executor =
        Executors.newCachedThreadPool(
            task -> {
              Thread thread = new Thread(task, "fake-ollama-" + threads.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    server =
        HttpServer.create(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), requestedPort), 0);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
    return this;
  }

  /** Stops listening and releases every held-back answer; idempotent. */
  public synchronized void stop() {
    stopped.countDown();
    if (server != null) {
      server.stop(0);
      executor.shutdownNow();
    }
  }

  @Override
  public void close() {
    stop();
  }

  /** The port it listens on. */
  public synchronized int port() {
    if (server == null) {
      throw new IllegalStateException("FakeOllama is not started");
    }
    return server.getAddress().getPort();
  }

  /** {@code http://127.0.0.1:<port>}, a value for {@code OLLAMA_BASE_URL}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port();
  }

  /** Switches how chat requests are answered from now on. */
  public FakeOllama respondWith(Behaviour behaviour) {
    this.behaviour = behaviour;
    return this;
  }

  /** How long {@link Behaviour#SLOW} holds answers back. */
  public FakeOllama slowDelay(Duration delay) {
    this.slowDelay = delay;
    return this;
  }

  /**
   * Serves only these models (a name without a tag also matches {@code <name>:latest}); by default
   * every model is served except those whose names start with {@code missing}.
   */
  public FakeOllama acceptOnly(Collection<String> models) {
    this.allowedModels = List.copyOf(models);
    return this;
  }

  /** Back to a fresh fake: {@link Behaviour#NORMAL}, default delay and models, no requests. */
  public FakeOllama reset() {
    behaviour = Behaviour.NORMAL;
    slowDelay = DEFAULT_SLOW_DELAY;
    allowedModels = null;
    requests.clear();
    modelsSeen.clear();
    return this;
  }

  /** The JSON bodies of the chat requests received so far, oldest first. */
  public List<JsonObject> requests() {
    return List.copyOf(requests);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getPath();
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      if (path.equals("/api/chat") && method.equals("POST")) {
        chat(exchange, new String(body, StandardCharsets.UTF_8));
      } else if (path.equals("/api/tags") && method.equals("GET")) {
        sendJson(exchange, 200, tags());
      } else if (path.equals("/api/version") && method.equals("GET")) {
        sendJson(exchange, 200, Json.createObjectBuilder().add("version", VERSION).build());
      } else if (path.equals("/") && (method.equals("GET") || method.equals("HEAD"))) {
        send(exchange, 200, "text/plain; charset=utf-8", "Ollama is running");
      } else {
        // Ollama's router answers an unknown route, or a known one with the wrong method, so.
        send(exchange, 404, "text/plain", "404 page not found");
      }
    }
  }

  private void chat(HttpExchange exchange, String body) throws IOException {
    if (body.isBlank()) {
      sendError(exchange, 400, "missing request body");
      return;
    }
    JsonObject request;
    try (JsonReader reader = Json.createReader(new StringReader(body))) {
      JsonValue value = reader.readValue();
      if (!(value instanceof JsonObject object)) {
        sendError(
            exchange,
            400,
            "json: cannot unmarshal " + goType(value) + " into Go value of type api.ChatRequest");
        return;
      }
      request = object;
    } catch (JsonException e) {
      sendError(exchange, 400, "invalid character in request body: " + e.getMessage());
      return;
    }
    requests.add(request);

    String problem = shapeProblem(request);
    if (problem != null) {
      sendError(exchange, 400, problem);
      return;
    }
    String model = request.getString("model", "");
    if (model.isBlank()) {
      sendError(exchange, 400, "model is required");
      return;
    }
    JsonValue format = request.getOrDefault("format", JsonValue.NULL);
    if (format instanceof JsonString string
        && !string.getString().isEmpty()
        && !string.getString().equals("json")) {
      sendError(exchange, 400, "invalid format: expected \"json\" or a valid JSON schema");
      return;
    }
    if (!serves(model)) {
      sendError(exchange, 404, "model \"" + model + "\" not found, try pulling it first");
      return;
    }
    modelsSeen.add(withTag(model));

    Behaviour current = behaviour;
    if (current == Behaviour.HTTP_500) {
      sendError(exchange, 500, "llama runner process has terminated: signal: killed");
      return;
    }
    if (current == Behaviour.SLOW) {
      try {
        if (stopped.await(slowDelay.toMillis(), TimeUnit.MILLISECONDS)) {
          return; // stopping: drop the connection without an answer
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }

    JsonArray messages = request.getJsonArray("messages");
    if (messages == null || messages.isEmpty()) {
      // Ollama loads the model and answers with an empty message.
      sendJson(exchange, 200, finalChunk(model, "", "load", 0, 0));
      return;
    }
    String content = answer(request, current);
    long promptTokens = messages.stream().mapToLong(m -> words(contentOf(m))).sum();
    long outputTokens = Math.max(1, words(content));
    boolean stream = !JsonValue.FALSE.equals(request.get("stream"));
    if (stream) {
      String chunk =
          Json.createObjectBuilder()
              .add("model", model)
              .add("created_at", Instant.now().toString())
              .add("message", assistant(content))
              .add("done", false)
              .build()
              .toString();
      String last = finalChunk(model, "", "stop", promptTokens, outputTokens).toString();
      send(exchange, 200, "application/x-ndjson", chunk + "\n" + last + "\n");
    } else {
      sendJson(exchange, 200, finalChunk(model, content, "stop", promptTokens, outputTokens));
    }
  }

  /** What Go's JSON decoder would reject in a chat request, in its words. */
  private static String shapeProblem(JsonObject request) {
    Map<String, JsonValue.ValueType> types =
        Map.of(
            "model", JsonValue.ValueType.STRING,
            "messages", JsonValue.ValueType.ARRAY,
            "options", JsonValue.ValueType.OBJECT);
    for (var entry : types.entrySet()) {
      JsonValue value = request.get(entry.getKey());
      if (value != null && value != JsonValue.NULL && value.getValueType() != entry.getValue()) {
        return "json: cannot unmarshal "
            + goType(value)
            + " into Go struct field ChatRequest."
            + entry.getKey();
      }
    }
    JsonValue stream = request.get("stream");
    if (stream != null
        && stream != JsonValue.NULL
        && stream != JsonValue.TRUE
        && stream != JsonValue.FALSE) {
      return "json: cannot unmarshal "
          + goType(stream)
          + " into Go struct field ChatRequest.stream";
    }
    JsonArray messages = request.getJsonArray("messages");
    if (messages != null) {
      for (JsonValue message : messages) {
        if (!(message instanceof JsonObject object)
            || !(object.get("role") instanceof JsonString)) {
          return "json: cannot unmarshal into Go struct field ChatRequest.messages of type"
              + " api.Message";
        }
      }
    }
    return null;
  }

  private String answer(JsonObject request, Behaviour current) {
    if (current == Behaviour.NOT_JSON) {
      return NOT_JSON_CONTENT;
    }
    JsonValue format = request.getOrDefault("format", JsonValue.NULL);
    String lastUser = lastUserMessage(request.getJsonArray("messages"));
    if (format instanceof JsonObject schema) {
      Context context = new Context(systemText(request.getJsonArray("messages")), lastUser);
      JsonValue instance = generate(schema, "", context);
      if (current == Behaviour.OFF_SCHEMA) {
        instance = offSchema(schema, instance);
      }
      return instance.toString();
    }
    String echo = lastUser.length() <= ECHO_LENGTH ? lastUser : lastUser.substring(0, ECHO_LENGTH);
    if (format instanceof JsonString string && string.getString().equals("json")) {
      return Json.createObjectBuilder().add("answer", "Fake answer to: " + echo).build().toString();
    }
    return "Fake answer to: " + echo;
  }

  /** What the model is told, for choosing values a model reading the prompt would choose. */
  private record Context(String system, String task) {}

  private static JsonValue generate(JsonObject schema, String name, Context context) {
    if (schema.get("enum") instanceof JsonArray values && !values.isEmpty()) {
      return values.get(0);
    }
    String type = firstType(schema);
    switch (type) {
      case "object":
        return generateObject(schema, context);
      case "array":
        int count = Math.max(1, schema.getInt("minItems", 1));
        if (schema.containsKey("maxItems")) {
          count = Math.min(count, schema.getInt("maxItems"));
        }
        JsonObject items =
            schema.get("items") instanceof JsonObject o ? o : JsonValue.EMPTY_JSON_OBJECT;
        JsonArrayBuilder array = Json.createArrayBuilder();
        for (int i = 0; i < count; i++) {
          array.add(generate(items, name, context));
        }
        return array.build();
      case "integer":
        return Json.createValue(Math.max(1, schema.getInt("minimum", 1)));
      case "number":
        return Json.createValue(1.5);
      case "boolean":
        return JsonValue.TRUE;
      case "null":
        return JsonValue.NULL;
      default:
        return Json.createValue(fitLength(schema, plausibleString(name, context)));
    }
  }

  private static JsonValue generateObject(JsonObject schema, Context context) {
    JsonObject properties =
        schema.get("properties") instanceof JsonObject o ? o : JsonValue.EMPTY_JSON_OBJECT;
    JsonObjectBuilder object = Json.createObjectBuilder();
    Map<String, String> step = stepChoice(properties, context);
    for (String property : properties.keySet()) {
      if (step.containsKey(property)) {
        object.add(property, step.get(property));
      } else {
        object.add(property, generate(properties.getJsonObject(property), property, context));
      }
    }
    if (schema.get("required") instanceof JsonArray required) {
      for (JsonValue name : required) {
        String property = ((JsonString) name).getString();
        if (!properties.containsKey(property)) {
          object.add(property, Json.createValue("fake " + property));
        }
      }
    }
    return object.build();
  }

  /**
   * For an object with {@code agent} and {@code tool} enums: a pair that belongs together, and a
   * description and input that suit the tool. Empty for any other object.
   */
  private static Map<String, String> stepChoice(JsonObject properties, Context context) {
    List<String> agents = enumOf(properties.get("agent"));
    List<String> tools = enumOf(properties.get("tool"));
    if (agents.isEmpty() || tools.isEmpty()) {
      return Map.of();
    }
    List<String> preference = new ArrayList<>(tools);
    if (preference.remove("llm")) {
      preference.add(0, "llm");
    }
    String[] lines = context.system().split("\n");
    for (String tool : preference) {
      Pattern toolWord = Pattern.compile("\\b" + Pattern.quote(tool) + "\\b");
      for (String agent : agents) {
        Pattern agentWord = Pattern.compile("(^|\\W)" + Pattern.quote(agent) + "(\\W|$)");
        for (String line : lines) {
          if (agentWord.matcher(line).find() && toolWord.matcher(line).find()) {
            return step(agent, tool);
          }
        }
      }
    }
    return step(agents.get(0), preference.get(0));
  }

  private static Map<String, String> step(String agent, String tool) {
    String input =
        switch (tool) {
          case "calculator" -> "1 + 2";
          case "text" -> "word_count: Say hello";
          case "http_get" -> "http://127.0.0.1/";
          default -> "Say hello";
        };
    return Map.of(
        "agent", agent, "tool", tool, "description", "Use " + tool + ": " + input, "input", input);
  }

  /** Valid JSON that breaks the schema where a model would most plausibly go wrong. */
  private static JsonValue offSchema(JsonObject schema, JsonValue instance) {
    JsonValue broken = replaceEnum(schema, instance, "tool");
    if (broken.equals(instance)) {
      broken = replaceEnum(schema, instance, null);
    }
    if (broken.equals(instance) && instance instanceof JsonObject object && !object.isEmpty()) {
      // No enum to break: leave out a property the schema requires.
      JsonObjectBuilder builder = Json.createObjectBuilder(object);
      if (schema.get("required") instanceof JsonArray required && !required.isEmpty()) {
        builder.remove(required.getString(0));
        return builder.build();
      }
    }
    if (broken.equals(instance)) {
      return Json.createObjectBuilder().add("unexpected", OFF_SCHEMA_VALUE).build();
    }
    return broken;
  }

  /**
   * Replaces the first string-enum value (of the property {@code only}, or of any property) with
   * {@link #OFF_SCHEMA_VALUE}.
   */
  private static JsonValue replaceEnum(JsonObject schema, JsonValue instance, String only) {
    if (instance instanceof JsonObject object
        && schema.get("properties") instanceof JsonObject ps) {
      for (String property : object.keySet()) {
        if (!(ps.get(property) instanceof JsonObject child)) {
          continue;
        }
        boolean candidate = only == null || only.equals(property);
        if (candidate && !enumOf(child).isEmpty() && !enumOf(child).contains(OFF_SCHEMA_VALUE)) {
          return Json.createObjectBuilder(object).add(property, OFF_SCHEMA_VALUE).build();
        }
        JsonValue replaced = replaceEnum(child, object.get(property), only);
        if (!replaced.equals(object.get(property))) {
          return Json.createObjectBuilder(object).add(property, replaced).build();
        }
      }
    }
    if (instance instanceof JsonArray array && schema.get("items") instanceof JsonObject items) {
      for (int i = 0; i < array.size(); i++) {
        JsonValue replaced = replaceEnum(items, array.get(i), only);
        if (!replaced.equals(array.get(i))) {
          return Json.createArrayBuilder(array).set(i, replaced).build();
        }
      }
      if (only == null && !array.isEmpty() && !enumOf(items).isEmpty()) {
        return Json.createArrayBuilder(array).set(0, OFF_SCHEMA_VALUE).build();
      }
    }
    return instance;
  }

  private static List<String> enumOf(JsonValue schema) {
    if (schema instanceof JsonObject object && object.get("enum") instanceof JsonArray values) {
      return values.stream()
          .filter(JsonString.class::isInstance)
          .map(v -> ((JsonString) v).getString())
          .toList();
    }
    return List.of();
  }

  private static String firstType(JsonObject schema) {
    JsonValue type = schema.get("type");
    if (type instanceof JsonString string) {
      return string.getString();
    }
    if (type instanceof JsonArray types && !types.isEmpty()) {
      return types.getString(0);
    }
    return schema.containsKey("properties") ? "object" : "string";
  }

  private static String plausibleString(String name, Context context) {
    String task =
        context.task().length() <= ECHO_LENGTH
            ? context.task()
            : context.task().substring(0, ECHO_LENGTH);
    return switch (name) {
      case "summary" -> "Fake summary of: " + task;
      case "description", "input", "prompt" -> "Say hello";
      case "" -> "Fake answer to: " + task;
      default -> "fake " + name;
    };
  }

  private static String fitLength(JsonObject schema, String value) {
    int min = schema.getInt("minLength", 0);
    int max = schema.getInt("maxLength", Integer.MAX_VALUE);
    StringBuilder fitted = new StringBuilder(value);
    while (fitted.length() < min) {
      fitted.append('x');
    }
    return fitted.length() > max ? fitted.substring(0, max) : fitted.toString();
  }

  private boolean serves(String model) {
    List<String> allowed = allowedModels;
    if (allowed == null) {
      return ANY_BUT_MISSING.test(model);
    }
    return allowed.stream().anyMatch(name -> withTag(name).equals(withTag(model)));
  }

  private static String withTag(String model) {
    return model.contains(":") ? model : model + ":latest";
  }

  private JsonObject tags() {
    Set<String> names = new LinkedHashSet<>();
    List<String> allowed = allowedModels;
    if (allowed != null) {
      allowed.forEach(name -> names.add(withTag(name)));
    } else {
      synchronized (modelsSeen) {
        names.addAll(modelsSeen);
      }
      if (names.isEmpty()) {
        names.add(DEFAULT_MODEL);
      }
    }
    JsonArrayBuilder models = Json.createArrayBuilder();
    for (String name : names) {
      models.add(
          Json.createObjectBuilder()
              .add("name", name)
              .add("model", name)
              .add("modified_at", "2025-01-01T00:00:00Z")
              .add("size", 2019393189L)
              .add("digest", String.format(Locale.ROOT, "%064x", name.hashCode() & 0xffffffffL))
              .add(
                  "details",
                  Json.createObjectBuilder()
                      .add("parent_model", "")
                      .add("format", "gguf")
                      .add("family", "llama")
                      .add("families", Json.createArrayBuilder().add("llama"))
                      .add("parameter_size", "3.2B")
                      .add("quantization_level", "Q4_K_M")));
    }
    return Json.createObjectBuilder().add("models", models).build();
  }

  private static JsonObject finalChunk(
      String model, String content, String doneReason, long promptTokens, long outputTokens) {
    // Durations are nanoseconds, as Ollama reports them; plausible, not measured.
    long load = 1_000_000L;
    long promptEval = promptTokens * 100_000L;
    long eval = outputTokens * 1_000_000L;
    JsonObjectBuilder chunk =
        Json.createObjectBuilder()
            .add("model", model)
            .add("created_at", Instant.now().toString())
            .add("message", assistant(content))
            .add("done_reason", doneReason)
            .add("done", true)
            .add("total_duration", load + promptEval + eval)
            .add("load_duration", load);
    if (!doneReason.equals("load")) {
      chunk
          .add("prompt_eval_count", promptTokens)
          .add("prompt_eval_duration", promptEval)
          .add("eval_count", outputTokens)
          .add("eval_duration", eval);
    }
    return chunk.build();
  }

  private static JsonObject assistant(String content) {
    return Json.createObjectBuilder().add("role", "assistant").add("content", content).build();
  }

  private static String lastUserMessage(JsonArray messages) {
    String last = "";
    for (JsonValue message : messages) {
      if (message instanceof JsonObject object && "user".equals(object.getString("role", ""))) {
        last = contentOf(object);
      }
    }
    return last;
  }

  private static String systemText(JsonArray messages) {
    StringBuilder text = new StringBuilder();
    for (JsonValue message : messages) {
      if (message instanceof JsonObject object && "system".equals(object.getString("role", ""))) {
        text.append(contentOf(object)).append('\n');
      }
    }
    return text.toString();
  }

  private static String contentOf(JsonValue message) {
    return message instanceof JsonObject object ? object.getString("content", "") : "";
  }

  private static long words(String text) {
    String trimmed = text.strip();
    return trimmed.isEmpty() ? 0 : WHITESPACE.split(trimmed).length;
  }

  private static String goType(JsonValue value) {
    return switch (value.getValueType()) {
      case ARRAY -> "array";
      case OBJECT -> "object";
      case STRING -> "string";
      case NUMBER -> "number";
      case TRUE, FALSE -> "bool";
      case NULL -> "null";
    };
  }

  private static void sendError(HttpExchange exchange, int status, String message)
      throws IOException {
    sendJson(exchange, status, Json.createObjectBuilder().add("error", message).build());
  }

  private static void sendJson(HttpExchange exchange, int status, JsonObject body)
      throws IOException {
    send(exchange, status, "application/json; charset=utf-8", body.toString());
  }

  private static void send(HttpExchange exchange, int status, String contentType, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }
}
