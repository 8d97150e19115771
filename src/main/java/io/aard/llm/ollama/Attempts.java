package io.aard.llm.ollama;

import io.aard.llm.GenerationSpan;
import io.aard.llm.LanguageModelException;
import io.aard.llm.LanguageModelException.Kind;
import io.aard.tracing.GenAi;
import io.opentelemetry.api.trace.Tracer;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * One call of the model in as many attempts as it takes and the settings allow, each attempt one
 * {@code ollama.generate} span: a transient failure sends the same conversation again after a
 * {@link Backoff}; a rejected answer ({@link InvalidAnswer}) is sent back to the model with what is
 * wrong ({@link OllamaPrompts#reask}). Every attempt ends by the call's deadline.
 */
final class Attempts {

  private static final String OPERATION = GenAi.CHAT;
  // Logged under the provider's name, where these messages were always found.
  private static final Logger LOG = Logger.getLogger(OllamaLanguageModel.class.getName());

  private final OllamaSettings.Values values;
  private final Tracer tracer;
  private final OllamaChat chat;
  private final Timing timing;

  /**
   * @param values the model, the deadline, the attempt bounds and whether content is captured
   * @param chat how a request reaches Ollama
   * @param timing the clock and the waits between attempts
   */
  Attempts(OllamaSettings.Values values, Tracer tracer, OllamaChat chat, Timing timing) {
    this.values = values;
    this.tracer = tracer;
    this.chat = chat;
    this.timing = timing;
  }

  /**
   * Makes the call.
   *
   * @param purpose {@code analyze}, {@code decompose} or {@code complete}, for the spans
   * @param prompt the conversation that opens the call
   * @param format the JSON schema of the answer, or {@code null} for free text
   * @param read turns the answer into the result, or throws {@link InvalidAnswer}
   * @throws LanguageModelException the last attempt's failure, its message saying how many attempts
   *     were made; {@link Kind#UNAVAILABLE} when the thread is interrupted between attempts, which
   *     is how a cancelled plan stops waiting
   */
  <T> T call(
      String purpose, List<ChatMessage> prompt, JsonObject format, Function<String, T> read) {
    long deadline = timing.nanoTime() + values.timeout().toNanos();
    List<ChatMessage> conversation = new ArrayList<>(prompt);
    int attempt = 0;
    int answers = 0;
    int requests = 0;
    while (true) {
      attempt++;
      requests++;
      Outcome<T> outcome = attempt(purpose, attempt, conversation, format, left(deadline), read);
      if (outcome instanceof Accepted<T> accepted) {
        return accepted.value();
      }
      if (outcome instanceof Rejected<T> rejected) {
        answers++;
        InvalidAnswer problem = rejected.problem();
        if (answers >= values.answerAttempts() || left(deadline).compareTo(Duration.ZERO) <= 0) {
          throw gaveUp(problem, attempt);
        }
        pause(Duration.ZERO, problem, attempt);
        LOG.fine(() -> "Asking Ollama again after a rejected answer: " + problem.getMessage());
        conversation.add(ChatMessage.assistant(rejected.answer()));
        conversation.add(ChatMessage.user(OllamaPrompts.reask(problem.violations())));
        requests = 0;
        continue;
      }
      LanguageModelException error = ((Failed<T>) outcome).error();
      if (!(error instanceof ChatFailure failure)
          || !failure.isTransient()
          || requests >= values.requestAttempts()) {
        throw gaveUp(error, attempt);
      }
      Duration wait = Backoff.delay(requests, failure.retryAfter(), timing.random());
      if (wait.compareTo(left(deadline)) >= 0) {
        throw gaveUp(error, attempt);
      }
      LOG.fine(
          () -> "Sending to Ollama again in " + wait.toMillis() + " ms: " + error.getMessage());
      pause(wait, error, attempt);
    }
  }

  /** One request, and the reading of its answer, in its own span. */
  private <T> Outcome<T> attempt(
      String purpose,
      int attempt,
      List<ChatMessage> conversation,
      JsonObject format,
      Duration timeout,
      Function<String, T> read) {
    try (GenerationSpan span =
        GenerationSpan.start(
            tracer,
            OllamaLanguageModel.PROVIDER,
            OPERATION,
            purpose,
            values.model(),
            values.serverAddress(),
            values.serverPort())) {
      span.attempt(attempt);
      try {
        return exchange(span, conversation, format, timeout, read);
      } catch (RuntimeException e) {
        // A bug rather than a failure of Ollama's: not retried, but its span says so.
        span.fail(e, e.getClass().getName());
        throw e;
      }
    }
  }

  private <T> Outcome<T> exchange(
      GenerationSpan span,
      List<ChatMessage> conversation,
      JsonObject format,
      Duration timeout,
      Function<String, T> read) {
    ChatResponse response;
    try {
      response = chat.chat(values.model(), List.copyOf(conversation), format, timeout);
    } catch (LanguageModelException e) {
      span.fail(e, errorType(e));
      return new Failed<>(e);
    }
    span.response(response.model(), response.promptEvalCount(), response.evalCount());
    if (values.captureContent()) {
      span.content(inputMessages(conversation), outputMessages(response.content()));
    }
    try {
      return new Accepted<>(read.apply(response.content()));
    } catch (InvalidAnswer e) {
      span.fail(e, e.errorType());
      return new Rejected<>(response.content(), e);
    }
  }

  private sealed interface Outcome<T> permits Accepted, Rejected, Failed {}

  private record Accepted<T>(T value) implements Outcome<T> {}

  /** The model answered, verbatim, but the answer cannot be used. */
  private record Rejected<T>(String answer, InvalidAnswer problem) implements Outcome<T> {}

  /** There is no answer. */
  private record Failed<T>(LanguageModelException error) implements Outcome<T> {}

  private static String errorType(LanguageModelException e) {
    return e instanceof ChatFailure failure
        ? failure.errorType()
        : e.kind().name().toLowerCase(Locale.ROOT);
  }

  private Duration left(long deadline) {
    return Duration.ofNanos(deadline - timing.nanoTime());
  }

  /** Waits before the next attempt, unless the thread was interrupted: then it stops at once. */
  private void pause(Duration wait, LanguageModelException last, int attempts) {
    try {
      if (Thread.currentThread().isInterrupted()) {
        throw new InterruptedException();
      }
      if (!wait.isZero()) {
        timing.sleep(wait);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      var interrupted =
          new LanguageModelException(
              Kind.UNAVAILABLE,
              "Stopped asking Ollama when interrupted, after "
                  + attempts
                  + (attempts == 1 ? " attempt" : " attempts")
                  + "; the last one failed: "
                  + last.getMessage(),
              e);
      interrupted.addSuppressed(last);
      throw interrupted;
    }
  }

  /** The last failure; after more than one attempt, with how many were made. */
  private static LanguageModelException gaveUp(LanguageModelException last, int attempts) {
    if (attempts == 1) {
      return last;
    }
    return new LanguageModelException(
        last.kind(), last.getMessage() + " (after " + attempts + " attempts)", last);
  }

  /** The GenAI semantic conventions' shape of {@code gen_ai.input.messages}. */
  private static String inputMessages(List<ChatMessage> conversation) {
    JsonArrayBuilder messages = Json.createArrayBuilder();
    conversation.forEach(m -> messages.add(message(m.role(), m.content())));
    return messages.build().toString();
  }

  /** The GenAI semantic conventions' shape of {@code gen_ai.output.messages}. */
  private static String outputMessages(String content) {
    return Json.createArrayBuilder().add(message("assistant", content)).build().toString();
  }

  private static JsonObject message(String role, String content) {
    JsonArrayBuilder parts =
        Json.createArrayBuilder()
            .add(Json.createObjectBuilder().add("type", "text").add("content", content));
    return Json.createObjectBuilder().add("role", role).add("parts", parts).build();
  }
}
