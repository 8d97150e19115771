package io.aard.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
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
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
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
 * from that schema, as a small model under Ollama's grammar-constrained decoding would give: every
 * property, each {@code const}, each enum's first value, one item per array (or {@code minItems}),
 * strings padded to {@code minLength}; of {@code anyOf}/{@code oneOf} one branch. A plan step gets
 * an agent and a tool that belong together: of the branches the first whose {@code tool} offers
 * {@code llm}; with separate {@code agent} and {@code tool} enums, {@code llm} if offered, else the
 * first tool, with the first agent whose line in the system prompt mentions that tool, as a model
 * reading the prompt would choose. {@link Behaviour#INDEPENDENT_PAIRS} chooses the way a model that
 * ignores the prompt does. Without {@code format} the answer is {@code Fake answer to: <the last
 * user message, cut at the echo length>} ({@link #echoLength(int)}).
 *
 * <p>How a chat request is answered is decided per request: the next scripted turn ({@link
 * #then(Behaviour)}, {@link #thenAnswer(String)}, {@link #script(Behaviour...)}) if any, else a
 * draw of the {@link #realistic(long) realistic} mode if it is on, else the standing behaviour
 * ({@link #respondWith(Behaviour)}). A request the fake rejects itself (malformed, unknown model)
 * takes no turn. {@link #served(Behaviour)} counts what was served.
 *
 * <p>Every setter is safe to call while requests are in flight. One instance serves one {@link
 * #start()}–{@link #stop()} cycle.
 *
 * <pre>{@code
 * try (FakeOllama ollama = new FakeOllama(0).start()) {
 *   ollama.then(Behaviour.LOADING).then(Behaviour.OFF_SCHEMA); // then NORMAL
 *   ... point OLLAMA_BASE_URL at ollama.baseUrl() ...
 *   assertEquals(1, ollama.served(Behaviour.LOADING));
 *   assertEquals(false, ollama.requests().get(0).getBoolean("stream"));
 * }
 * }</pre>
 */
public final class FakeOllama implements AutoCloseable {

  /** How the fake answers one chat request for a known model. */
  public enum Behaviour {
    /** Like Ollama: an instance of the requested schema (or a canned answer), or a short text. */
    NORMAL,
    /** Valid JSON that does not fit the requested schema (for a plan: tool {@code hammer}). */
    OFF_SCHEMA,
    /** Prose instead of JSON, as a model that ignores {@code format} would answer. */
    NOT_JSON,
    /** HTTP 500 with Ollama's error body, as when the model runner crashes. */
    HTTP_500,
    /**
     * The normal answer, but only after {@link FakeOllama#slowDelay(Duration)} (in the realistic
     * mode: its short delay); {@link FakeOllama#stop()} releases it without an answer.
     */
    SLOW,
    /**
     * Like {@link #NORMAL}, but a plan step's agent and tool are chosen independently, as a model
     * that does not read the agents' lines in the prompt would: the first agent, and the first tool
     * that agent does not own (by its line in the system prompt) if the schema allows one. With
     * separate agent and tool enums that makes a pair that does not fit (for example {@code
     * 'calculator' is not a tool of agent 'researcher'}); with one {@code anyOf} branch per agent
     * the schema allows no such pair, so the answer fits.
     */
    INDEPENDENT_PAIRS,
    /**
     * HTTP 503 with Ollama's error body, as Ollama answers while it is busy loading models and its
     * queue is full. Like Ollama, without {@code Retry-After}.
     */
    LOADING,
    /** HTTP 429 with an error body, as a rate-limiting proxy in front of Ollama answers. */
    TOO_MANY_REQUESTS,
    /**
     * The request is read, then the connection is closed without a byte of an answer, as when the
     * server process dies mid-request; an HTTP client sees an {@link IOException}.
     */
    RESET
  }

  /** The version {@code GET /api/version} reports. */
  public static final String VERSION = "0.9.0";

  /** How long a {@link Behaviour#SLOW} answer is held back unless told otherwise. */
  public static final Duration DEFAULT_SLOW_DELAY = Duration.ofSeconds(60);

  /** How long the realistic mode holds back its {@link Behaviour#SLOW} answers by default. */
  public static final Duration DEFAULT_REALISTIC_SLOW_DELAY = Duration.ofMillis(500);

  /** How many characters of the last user message a text answer echoes by default. */
  public static final int DEFAULT_ECHO_LENGTH = 200;

  /** The tool name {@link Behaviour#OFF_SCHEMA} puts where a schema expects one of its enums. */
  public static final String OFF_SCHEMA_VALUE = "hammer";

  /** The content {@link Behaviour#NOT_JSON} answers with. */
  public static final String NOT_JSON_CONTENT =
      "I think the plan is to first look at the task and then do it step by step.";

  /** The error of a {@link Behaviour#HTTP_500} answer. */
  public static final String HTTP_500_ERROR = "llama runner process has terminated: signal: killed";

  /** The error of a {@link Behaviour#LOADING} answer: Ollama's, when its queue is full. */
  public static final String LOADING_ERROR =
      "server busy, please try again.  maximum pending requests exceeded";

  /** The error of a {@link Behaviour#TOO_MANY_REQUESTS} answer. */
  public static final String TOO_MANY_REQUESTS_ERROR = "too many requests, please try again later";

  /** In the realistic mode, the share of requests answered {@link Behaviour#OFF_SCHEMA}. */
  public static final double REALISTIC_OFF_SCHEMA = 0.15;

  /** In the realistic mode, the share of requests answered {@link Behaviour#LOADING}. */
  public static final double REALISTIC_LOADING = 0.15;

  /** In the realistic mode, the share of requests answered {@link Behaviour#SLOW}. */
  public static final double REALISTIC_SLOW = 0.10;

  private static final String DEFAULT_MODEL = "llama3.2:latest";
  private static final Predicate<String> ANY_BUT_MISSING = name -> !name.startsWith("missing");
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  private final int requestedPort;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final List<JsonObject> requests = new CopyOnWriteArrayList<>();
  private final List<Behaviour> served = new CopyOnWriteArrayList<>();
  private final Set<String> modelsSeen = Collections.synchronizedSet(new LinkedHashSet<>());
  private final Queue<Turn> script = new ConcurrentLinkedQueue<>();
  private final List<Canned> canned = new CopyOnWriteArrayList<>();

  private volatile Behaviour behaviour = Behaviour.NORMAL;
  private volatile Duration slowDelay = DEFAULT_SLOW_DELAY;
  private volatile int echoLength = DEFAULT_ECHO_LENGTH;
  private volatile List<String> allowedModels; // null: any model not starting with "missing"
  private volatile Realistic realistic; // null: off

  private HttpServer server;
  private ExecutorService executor;

  /**
   * One request's answer: a behaviour, how long a slow one is held back (null: {@link #slowDelay}),
   * and the content of a normal one (null: generated or canned).
   */
  private record Turn(Behaviour behaviour, Duration delay, String content) {}

  /** A canned content for the requests a predicate picks. */
  private record Canned(Predicate<JsonObject> request, String content) {}

  /** The realistic mode's draws: one per request, in the order the requests arrive. */
  private static final class Realistic {
    private final Random random;
    private final Duration slow;

    Realistic(long seed, Duration slow) {
      this.random = new Random(seed);
      this.slow = slow;
    }

    synchronized Turn next() {
      double draw = random.nextDouble();
      if (draw < REALISTIC_OFF_SCHEMA) {
        return new Turn(Behaviour.OFF_SCHEMA, null, null);
      }
      if (draw < REALISTIC_OFF_SCHEMA + REALISTIC_LOADING) {
        return new Turn(Behaviour.LOADING, null, null);
      }
      if (draw < REALISTIC_OFF_SCHEMA + REALISTIC_LOADING + REALISTIC_SLOW) {
        return new Turn(Behaviour.SLOW, slow, null);
      }
      return new Turn(Behaviour.NORMAL, null, null);
    }
  }

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

  /**
   * Switches the standing behaviour: how chat requests are answered from now on when no scripted
   * turn is left. Turns the realistic mode off.
   */
  public FakeOllama respondWith(Behaviour behaviour) {
    this.behaviour = Objects.requireNonNull(behaviour);
    this.realistic = null;
    return this;
  }

  /**
   * Queues a turn: the next chat request not taken by an earlier turn is answered with this
   * behaviour. Once the queue is empty, the standing behaviour (or realistic mode) answers again.
   */
  public FakeOllama then(Behaviour behaviour) {
    script.add(new Turn(Objects.requireNonNull(behaviour), null, null));
    return this;
  }

  /**
   * Queues a turn answered normally with exactly this content, whatever the request's format (as a
   * model's message: a JSON text for a schema request).
   */
  public FakeOllama thenAnswer(String content) {
    script.add(new Turn(Behaviour.NORMAL, null, Objects.requireNonNull(content)));
    return this;
  }

  /** Replaces the queued turns with these behaviours, one per chat request, in this order. */
  public FakeOllama script(Behaviour... behaviours) {
    script.clear();
    for (Behaviour each : behaviours) {
      then(each);
    }
    return this;
  }

  /** How many queued turns are still to be served. */
  public int scriptRemaining() {
    return script.size();
  }

  /**
   * Answers like a real small model on a busy machine, from now on when no scripted turn is left:
   * each chat request draws, from a generator seeded with {@code seed}, {@link
   * Behaviour#OFF_SCHEMA} with probability {@value #REALISTIC_OFF_SCHEMA}, {@link
   * Behaviour#LOADING} (503) with {@value #REALISTIC_LOADING}, {@link Behaviour#SLOW} (held back
   * {@link #DEFAULT_REALISTIC_SLOW_DELAY}) with {@value #REALISTIC_SLOW}, else {@link
   * Behaviour#NORMAL}. The same seed gives the same sequence for requests in the same order.
   */
  public FakeOllama realistic(long seed) {
    return realistic(seed, DEFAULT_REALISTIC_SLOW_DELAY);
  }

  /** {@link #realistic(long)} with {@code slow} as the hold-back of its slow answers. */
  public FakeOllama realistic(long seed, Duration slow) {
    this.realistic = new Realistic(seed, Objects.requireNonNull(slow));
    return this;
  }

  /** How long {@link Behaviour#SLOW} holds answers back (not those of the realistic mode). */
  public FakeOllama slowDelay(Duration delay) {
    this.slowDelay = delay;
    return this;
  }

  /**
   * How many characters of the last user message a text answer ({@code Fake answer to: ...})
   * echoes; {@link #DEFAULT_ECHO_LENGTH} unless told otherwise.
   */
  public FakeOllama echoLength(int characters) {
    if (characters < 0) {
      throw new IllegalArgumentException("echo length must not be negative: " + characters);
    }
    this.echoLength = characters;
    return this;
  }

  /**
   * Answers every plan request (a schema request whose schema has a {@code steps} property) that
   * gets a normal answer with exactly this content, as a model proposing that plan would; an
   * off-schema or prose turn still breaks it.
   */
  public FakeOllama answerDecomposeWith(String json) {
    return answerWhen(FakeOllama::isPlanRequest, json);
  }

  /**
   * {@link #answerDecomposeWith(String)} with a plan of these steps (see {@link #step(String,
   * String, String, String)}).
   */
  public FakeOllama answerDecomposeWith(JsonObject... steps) {
    JsonArrayBuilder array = Json.createArrayBuilder();
    for (JsonObject each : steps) {
      array.add(each);
    }
    return answerDecomposeWith(Json.createObjectBuilder().add("steps", array).build().toString());
  }

  /**
   * Answers every request the predicate picks (it sees the request's JSON body) and that gets a
   * normal answer with exactly this content. The latest matching rule wins.
   */
  public FakeOllama answerWhen(Predicate<JsonObject> request, String content) {
    canned.add(0, new Canned(Objects.requireNonNull(request), Objects.requireNonNull(content)));
    return this;
  }

  /** One plan step, as the decomposition schema has it, for {@link #answerDecomposeWith}. */
  public static JsonObject step(String description, String agent, String tool, String input) {
    return Json.createObjectBuilder()
        .add("description", description)
        .add("agent", agent)
        .add("tool", tool)
        .add("input", input)
        .build();
  }

  /**
   * Serves only these models (a name without a tag also matches {@code <name>:latest}); by default
   * every model is served except those whose names start with {@code missing}.
   */
  public FakeOllama acceptOnly(Collection<String> models) {
    this.allowedModels = List.copyOf(models);
    return this;
  }

  /**
   * Back to a fresh fake: {@link Behaviour#NORMAL}, no script, realistic mode or canned answers,
   * default delay, echo length and models, no requests and nothing served.
   */
  public FakeOllama reset() {
    behaviour = Behaviour.NORMAL;
    realistic = null;
    script.clear();
    canned.clear();
    slowDelay = DEFAULT_SLOW_DELAY;
    echoLength = DEFAULT_ECHO_LENGTH;
    allowedModels = null;
    requests.clear();
    served.clear();
    modelsSeen.clear();
    return this;
  }

  /** The JSON bodies of the chat requests received so far, oldest first. */
  public List<JsonObject> requests() {
    return List.copyOf(requests);
  }

  /**
   * The content of the last message with this role in a request (for example {@code "system"} of
   * one of {@link #requests()}), or {@code ""} when there is none.
   */
  public static String lastMessage(JsonObject request, String role) {
    String last = "";
    if (request.get("messages") instanceof JsonArray messages) {
      for (JsonValue message : messages) {
        if (message instanceof JsonObject object && role.equals(object.getString("role", ""))) {
          last = contentOf(object);
        }
      }
    }
    return last;
  }

  /** How many chat requests were answered with this behaviour. */
  public int served(Behaviour behaviour) {
    return (int) served.stream().filter(behaviour::equals).count();
  }

  /** The behaviour each answered chat request got, in the order they were decided. */
  public List<Behaviour> behavioursServed() {
    return List.copyOf(served);
  }

  /** How many chat requests got each behaviour; behaviours never served are left out. */
  public Map<Behaviour, Integer> servedCounts() {
    Map<Behaviour, Integer> counts = new EnumMap<>(Behaviour.class);
    for (Behaviour each : served) {
      counts.merge(each, 1, Integer::sum);
    }
    return counts;
  }

  private void handle(HttpExchange exchange) throws IOException {
    // Closing an exchange whose headers were never sent closes the connection: that is how a
    // held-back answer is dropped on stop() and how RESET answers.
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

    Turn turn = nextTurn();
    served.add(turn.behaviour());
    switch (turn.behaviour()) {
      case HTTP_500 -> {
        sendError(exchange, 500, HTTP_500_ERROR);
        return;
      }
      case LOADING -> {
        sendError(exchange, 503, LOADING_ERROR);
        return;
      }
      case TOO_MANY_REQUESTS -> {
        sendError(exchange, 429, TOO_MANY_REQUESTS_ERROR);
        return;
      }
      case RESET -> {
        return; // handle() closes the exchange unanswered, which closes the connection
      }
      case SLOW -> {
        Duration delay = turn.delay() != null ? turn.delay() : slowDelay;
        try {
          if (stopped.await(delay.toMillis(), TimeUnit.MILLISECONDS)) {
            return; // stopping: drop the connection without an answer
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      default -> {}
    }

    JsonArray messages = request.getJsonArray("messages");
    if (messages == null || messages.isEmpty()) {
      // Ollama loads the model and answers with an empty message.
      sendJson(exchange, 200, finalChunk(model, "", "load", 0, 0));
      return;
    }
    String content = answer(request, turn);
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

  private Turn nextTurn() {
    Turn scripted = script.poll();
    if (scripted != null) {
      return scripted;
    }
    Realistic mode = realistic;
    return mode != null ? mode.next() : new Turn(behaviour, null, null);
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

  private String answer(JsonObject request, Turn turn) {
    Behaviour current = turn.behaviour();
    if (current == Behaviour.NOT_JSON) {
      return NOT_JSON_CONTENT;
    }
    if (current != Behaviour.OFF_SCHEMA) {
      if (turn.content() != null) {
        return turn.content();
      }
      for (Canned rule : canned) {
        if (rule.request().test(request)) {
          return rule.content();
        }
      }
    }
    JsonValue format = request.getOrDefault("format", JsonValue.NULL);
    String lastUser = lastMessage(request, "user");
    if (format instanceof JsonObject schema) {
      // The task is the first user message: in a re-ask the last one says what was wrong.
      Context context =
          new Context(systemText(request), firstMessage(request, "user"), current, echoLength);
      JsonValue instance = generate(schema, "", context);
      if (current == Behaviour.OFF_SCHEMA) {
        instance = offSchema(schema, instance);
      }
      return instance.toString();
    }
    String echo = cut(lastUser, echoLength);
    if (format instanceof JsonString string && string.getString().equals("json")) {
      return Json.createObjectBuilder().add("answer", "Fake answer to: " + echo).build().toString();
    }
    return "Fake answer to: " + echo;
  }

  private static boolean isPlanRequest(JsonObject request) {
    return request.get("format") instanceof JsonObject schema
        && schema.get("properties") instanceof JsonObject properties
        && properties.containsKey("steps");
  }

  /** What the model is told and how it behaves, for choosing the values it would choose. */
  private record Context(String system, String task, Behaviour behaviour, int echoLength) {}

  private static JsonValue generate(JsonObject schema, String name, Context context) {
    if (schema.containsKey("const")) {
      return schema.get("const");
    }
    if (schema.get("enum") instanceof JsonArray values && !values.isEmpty()) {
      return values.get(0);
    }
    List<JsonObject> branches = branchesOf(schema);
    if (!branches.isEmpty()) {
      return generate(chooseBranch(branches, context), name, context);
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
        long value = Math.max(1, bound(schema, "minimum", 1));
        return Json.createValue(Math.min(value, bound(schema, "maximum", Long.MAX_VALUE)));
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

  private static long bound(JsonObject schema, String keyword, long otherwise) {
    return schema.get(keyword) instanceof JsonNumber number ? number.longValue() : otherwise;
  }

  /** The alternatives of {@code anyOf} or {@code oneOf}, empty without them. */
  private static List<JsonObject> branchesOf(JsonObject schema) {
    for (String keyword : List.of("anyOf", "oneOf")) {
      if (schema.get(keyword) instanceof JsonArray array && !array.isEmpty()) {
        return array.stream()
            .filter(JsonObject.class::isInstance)
            .map(JsonObject.class::cast)
            .toList();
      }
    }
    return List.of();
  }

  /**
   * The branch a model would follow: for a plan step the first whose tool offers {@code llm} (the
   * tool a generic task needs), unless the model ignores the prompt; otherwise the first.
   */
  private static JsonObject chooseBranch(List<JsonObject> branches, Context context) {
    if (context.behaviour() != Behaviour.INDEPENDENT_PAIRS) {
      for (JsonObject branch : branches) {
        if (branch.get("properties") instanceof JsonObject properties
            && choicesOf(properties.get("tool")).contains("llm")) {
          return branch;
        }
      }
    }
    return branches.get(0);
  }

  private static JsonValue generateObject(JsonObject schema, Context context) {
    JsonObject properties =
        schema.get("properties") instanceof JsonObject o ? o : JsonValue.EMPTY_JSON_OBJECT;
    JsonObjectBuilder object = Json.createObjectBuilder();
    Map<String, String> step = stepChoice(properties, context);
    for (String property : properties.keySet()) {
      JsonObject child =
          properties.get(property) instanceof JsonObject o ? o : JsonValue.EMPTY_JSON_OBJECT;
      if (step.containsKey(property)) {
        object.add(property, fitLength(child, step.get(property)));
      } else {
        object.add(property, generate(child, property, context));
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
   * For an object whose {@code agent} and {@code tool} each offer values (by {@code enum} or {@code
   * const}): the pair the behaviour makes, and a description and input that suit the tool. Empty
   * for any other object.
   */
  private static Map<String, String> stepChoice(JsonObject properties, Context context) {
    List<String> agents = choicesOf(properties.get("agent"));
    List<String> tools = choicesOf(properties.get("tool"));
    if (agents.isEmpty() || tools.isEmpty()) {
      return Map.of();
    }
    String[] lines = context.system().split("\n");
    if (context.behaviour() == Behaviour.INDEPENDENT_PAIRS) {
      String agent = agents.get(0);
      for (String tool : tools) {
        if (!mentionedTogether(lines, agent, tool)) {
          return step(agent, tool);
        }
      }
      return step(agent, tools.get(0));
    }
    List<String> preference = new ArrayList<>(tools);
    if (preference.remove("llm")) {
      preference.add(0, "llm");
    }
    for (String tool : preference) {
      for (String agent : agents) {
        if (mentionedTogether(lines, agent, tool)) {
          return step(agent, tool);
        }
      }
    }
    return step(agents.get(0), preference.get(0));
  }

  /** Whether a line of the prompt names the agent with the tool, as the agents' lines do. */
  private static boolean mentionedTogether(String[] lines, String agent, String tool) {
    Pattern toolWord = Pattern.compile("\\b" + Pattern.quote(tool) + "\\b");
    Pattern agentWord = Pattern.compile("(^|\\W)" + Pattern.quote(agent) + "(\\W|$)");
    for (String line : lines) {
      if (agentWord.matcher(line).find() && toolWord.matcher(line).find()) {
        return true;
      }
    }
    return false;
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
   * Replaces the first value chosen from an {@code enum} or {@code const} (of the property {@code
   * only}, or of any property) with {@link #OFF_SCHEMA_VALUE}.
   */
  private static JsonValue replaceEnum(JsonObject schema, JsonValue instance, String only) {
    for (JsonObject branch : branchesOf(schema)) {
      // Every branch offers its own values: breaking the one at hand breaks the instance.
      JsonValue replaced = replaceEnum(branch, instance, only);
      if (!replaced.equals(instance)) {
        return replaced;
      }
    }
    if (instance instanceof JsonObject object
        && schema.get("properties") instanceof JsonObject ps) {
      for (String property : object.keySet()) {
        if (!(ps.get(property) instanceof JsonObject child)) {
          continue;
        }
        boolean candidate = only == null || only.equals(property);
        List<String> choices = choicesOf(child);
        if (candidate && !choices.isEmpty() && !choices.contains(OFF_SCHEMA_VALUE)) {
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
      if (only == null && !array.isEmpty() && !choicesOf(items).isEmpty()) {
        return Json.createArrayBuilder(array).set(0, OFF_SCHEMA_VALUE).build();
      }
    }
    return instance;
  }

  /** The strings a schema allows by {@code enum} or {@code const}; empty when it names none. */
  private static List<String> choicesOf(JsonValue schema) {
    if (!(schema instanceof JsonObject object)) {
      return List.of();
    }
    if (object.get("enum") instanceof JsonArray values) {
      return values.stream()
          .filter(JsonString.class::isInstance)
          .map(v -> ((JsonString) v).getString())
          .toList();
    }
    if (object.get("const") instanceof JsonString value) {
      return List.of(value.getString());
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
    if (schema.containsKey("properties")) {
      return "object";
    }
    return schema.containsKey("items") ? "array" : "string";
  }

  private static String plausibleString(String name, Context context) {
    String task = cut(context.task(), context.echoLength());
    return switch (name) {
      case "summary" -> "Fake summary of: " + task;
      case "description", "input", "prompt" -> "Say hello";
      case "" -> "Fake answer to: " + task;
      default -> "fake " + name;
    };
  }

  private static String cut(String text, int length) {
    return text.length() <= length ? text : text.substring(0, length);
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

  private static String firstMessage(JsonObject request, String role) {
    for (JsonValue message : request.getJsonArray("messages")) {
      if (message instanceof JsonObject object && role.equals(object.getString("role", ""))) {
        return contentOf(object);
      }
    }
    return "";
  }

  private static String systemText(JsonObject request) {
    StringBuilder text = new StringBuilder();
    for (JsonValue message : request.getJsonArray("messages")) {
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
