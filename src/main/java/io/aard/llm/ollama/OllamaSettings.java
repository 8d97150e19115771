package io.aard.llm.ollama;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Where the Ollama server is and how AARD talks to it, read from MicroProfile Config.
 *
 * <p>The values are injected as strings and parsed by {@link #validate} so that a bad value is
 * reported in AARD's own words (key, value, what is accepted) rather than by a converter.
 */
@ApplicationScoped
public class OllamaSettings {

  /** The key of the Ollama server's base URL. */
  public static final String BASE_URL_KEY = "OLLAMA_BASE_URL";

  /** The key of the model every call asks for. */
  public static final String MODEL_KEY = "OLLAMA_MODEL";

  /** The key of the deadline of one call in seconds, every attempt included. */
  public static final String TIMEOUT_KEY = "OLLAMA_TIMEOUT_SECONDS";

  /** The key of how many answers one call may get from the model, re-asks included. */
  public static final String ANSWER_ATTEMPTS_KEY = "OLLAMA_ANSWER_ATTEMPTS";

  /** The key of how many times one request may be sent when Ollama fails transiently. */
  public static final String REQUEST_ATTEMPTS_KEY = "OLLAMA_REQUEST_ATTEMPTS";

  /** The key that turns on recording prompts and completions on spans. */
  public static final String CAPTURE_CONTENT_KEY = "TRACING_CAPTURE_CONTENT";

  /** The base URL of an Ollama server installed with its defaults. */
  public static final String DEFAULT_BASE_URL = "http://localhost:11434";

  /** The model used when none is configured. */
  public static final String DEFAULT_MODEL = "llama3.2";

  /** Generous because a local model may have to load before it answers. */
  public static final int DEFAULT_TIMEOUT_SECONDS = 120;

  /** One re-ask: a model that missed the schema once usually fits it when told what was wrong. */
  public static final int DEFAULT_ANSWER_ATTEMPTS = 2;

  /** With the backoff's 0.25, 0.5, 1 and 2 s waits, about four seconds of Ollama starting up. */
  public static final int DEFAULT_REQUEST_ATTEMPTS = 5;

  /** The most attempts either setting accepts: more would only delay the failure. */
  public static final int MAX_ATTEMPTS = 10;

  /** Content capture is opt-in, as the GenAI semantic conventions require. */
  public static final boolean DEFAULT_CAPTURE_CONTENT = false;

  // The spellings MicroProfile Config's own boolean converter accepts.
  private static final Set<String> TRUE_VALUES = Set.of("true", "1", "yes", "y", "on");
  private static final Set<String> FALSE_VALUES = Set.of("false", "0", "no", "n", "off");

  /**
   * Validated Ollama settings.
   *
   * @param baseUrl the server's base URL, without a trailing slash
   * @param model the model every call asks for
   * @param timeout the deadline of one call (analyze, decompose or complete): every request it
   *     sends, re-asks and retries included, must end by then; each request may take what is left
   * @param captureContent whether prompts and completions are recorded on spans
   * @param answerAttempts how many answers one call may get from the model: an answer that is not
   *     JSON, does not fit the schema or proposes a plan that cannot run is sent back with what is
   *     wrong until this many answers were rejected
   * @param requestAttempts how many times one request may be sent when Ollama fails transiently (a
   *     refused or dropped connection, HTTP 429, 502, 503 or 504), the first time included
   */
  public record Values(
      URI baseUrl,
      String model,
      Duration timeout,
      boolean captureContent,
      int answerAttempts,
      int requestAttempts) {

    /** The server's host, for {@code server.address}. */
    public String serverAddress() {
      return baseUrl.getHost();
    }

    /** The server's port, the scheme's default (80 or 443) when the URL names none. */
    public int serverPort() {
      if (baseUrl.getPort() > 0) {
        return baseUrl.getPort();
      }
      return "https".equalsIgnoreCase(baseUrl.getScheme()) ? 443 : 80;
    }
  }

  @Inject
  @ConfigProperty(name = BASE_URL_KEY, defaultValue = DEFAULT_BASE_URL)
  String baseUrl;

  @Inject
  @ConfigProperty(name = MODEL_KEY, defaultValue = DEFAULT_MODEL)
  String model;

  @Inject
  @ConfigProperty(name = TIMEOUT_KEY, defaultValue = "" + DEFAULT_TIMEOUT_SECONDS)
  String timeoutSeconds;

  @Inject
  @ConfigProperty(name = CAPTURE_CONTENT_KEY, defaultValue = "" + DEFAULT_CAPTURE_CONTENT)
  String captureContent;

  @Inject
  @ConfigProperty(name = ANSWER_ATTEMPTS_KEY, defaultValue = "" + DEFAULT_ANSWER_ATTEMPTS)
  String answerAttempts;

  @Inject
  @ConfigProperty(name = REQUEST_ATTEMPTS_KEY, defaultValue = "" + DEFAULT_REQUEST_ATTEMPTS)
  String requestAttempts;

  private Values values;

  @PostConstruct
  void init() {
    values =
        validate(baseUrl, model, timeoutSeconds, captureContent, answerAttempts, requestAttempts);
  }

  /**
   * Parses and checks raw configuration values.
   *
   * @param baseUrl the value of {@code OLLAMA_BASE_URL}: an absolute http(s) URL with a host
   * @param model the value of {@code OLLAMA_MODEL}: not blank
   * @param timeoutSeconds the value of {@code OLLAMA_TIMEOUT_SECONDS}: a positive whole number
   * @param captureContent the value of {@code TRACING_CAPTURE_CONTENT}: a boolean
   * @param answerAttempts the value of {@code OLLAMA_ANSWER_ATTEMPTS}: a whole number from 1 to
   *     {@link #MAX_ATTEMPTS}
   * @param requestAttempts the value of {@code OLLAMA_REQUEST_ATTEMPTS}: a whole number from 1 to
   *     {@link #MAX_ATTEMPTS}
   * @return the parsed values
   * @throws IllegalArgumentException with one message naming the first bad key, its value and what
   *     is accepted
   */
  public static Values validate(
      String baseUrl,
      String model,
      String timeoutSeconds,
      String captureContent,
      String answerAttempts,
      String requestAttempts) {
    return new Values(
        parseBaseUrl(baseUrl),
        parseModel(model),
        parseTimeout(timeoutSeconds),
        parseBoolean(CAPTURE_CONTENT_KEY, captureContent),
        parseAttempts(ANSWER_ATTEMPTS_KEY, answerAttempts, DEFAULT_ANSWER_ATTEMPTS),
        parseAttempts(REQUEST_ATTEMPTS_KEY, requestAttempts, DEFAULT_REQUEST_ATTEMPTS));
  }

  /** All settings at once. */
  public Values values() {
    return values;
  }

  /** The server's base URL, without a trailing slash. */
  public URI baseUrl() {
    return values.baseUrl();
  }

  /** The model every call asks for. */
  public String model() {
    return values.model();
  }

  /** The deadline of one call, every request it sends included. */
  public Duration timeout() {
    return values.timeout();
  }

  /** How many answers one call may get from the model, re-asks included. */
  public int answerAttempts() {
    return values.answerAttempts();
  }

  /** How many times one request may be sent when Ollama fails transiently. */
  public int requestAttempts() {
    return values.requestAttempts();
  }

  /** Whether prompts and completions are recorded on spans. */
  public boolean captureContent() {
    return values.captureContent();
  }

  private static URI parseBaseUrl(String value) {
    String trimmed = value == null ? "" : value.strip();
    while (trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    URI uri;
    try {
      uri = new URI(trimmed);
    } catch (URISyntaxException e) {
      throw invalid(
          BASE_URL_KEY, value, "is not an absolute http(s) URL, e.g. " + DEFAULT_BASE_URL);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!uri.isAbsolute()
        || !(scheme.equals("http") || scheme.equals("https"))
        || uri.getHost() == null
        || uri.getHost().isEmpty()) {
      throw invalid(
          BASE_URL_KEY, value, "is not an absolute http(s) URL, e.g. " + DEFAULT_BASE_URL);
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw invalid(
          BASE_URL_KEY, value, "must not have a query or fragment, e.g. " + DEFAULT_BASE_URL);
    }
    return uri;
  }

  private static String parseModel(String value) {
    if (value == null || value.isBlank()) {
      throw invalid(MODEL_KEY, value, "is empty; name an Ollama model, e.g. " + DEFAULT_MODEL);
    }
    return value.strip();
  }

  private static Duration parseTimeout(String value) {
    String accepted = "is not a positive whole number of seconds, e.g. " + DEFAULT_TIMEOUT_SECONDS;
    int seconds;
    try {
      seconds = Integer.parseInt(value == null ? "" : value.strip());
    } catch (NumberFormatException e) {
      throw invalid(TIMEOUT_KEY, value, accepted);
    }
    if (seconds <= 0) {
      throw invalid(TIMEOUT_KEY, value, accepted);
    }
    return Duration.ofSeconds(seconds);
  }

  private static int parseAttempts(String key, String value, int example) {
    String accepted = "is not a whole number from 1 to " + MAX_ATTEMPTS + ", e.g. " + example;
    int attempts;
    try {
      attempts = Integer.parseInt(value == null ? "" : value.strip());
    } catch (NumberFormatException e) {
      throw invalid(key, value, accepted);
    }
    if (attempts < 1 || attempts > MAX_ATTEMPTS) {
      throw invalid(key, value, accepted);
    }
    return attempts;
  }

  private static boolean parseBoolean(String key, String value) {
    String normalized = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
    if (TRUE_VALUES.contains(normalized)) {
      return true;
    }
    if (FALSE_VALUES.contains(normalized)) {
      return false;
    }
    throw invalid(key, value, "is not a boolean; use true or false");
  }

  private static IllegalArgumentException invalid(String key, String value, String accepted) {
    return new IllegalArgumentException(key + "='" + value + "' " + accepted);
  }
}
