package io.aard.llm.ollama;

import io.aard.llm.LanguageModelException;
import java.util.List;

/**
 * The model answered, but not with something AARD can use: not JSON, off the schema, or a plan that
 * cannot run as proposed. The model is asked again with {@link #violations()}; when no attempt is
 * left this is the failure, a 502 like any {@link Kind#INVALID_RESPONSE}.
 */
final class InvalidAnswer extends LanguageModelException {

  private static final long serialVersionUID = 1L;

  /** The answer is not JSON. */
  static final String NOT_JSON = "not_json";

  /** The answer is JSON that does not fit the schema. */
  static final String SCHEMA_MISMATCH = "schema_mismatch";

  /** A step names a tool its agent does not have. */
  static final String TOOL_MISMATCH = "tool_mismatch";

  /** A step's input refers to a step that is not before it. */
  static final String BAD_STEP_REFERENCE = "bad_step_reference";

  private final String errorType;
  private final List<String> violations;

  /**
   * @param errorType the span's {@code error.type}: one of the constants of this class
   * @param violations what is wrong, each in words the model can act on
   */
  InvalidAnswer(String errorType, String message, List<String> violations, Throwable cause) {
    super(Kind.INVALID_RESPONSE, message, cause);
    this.errorType = errorType;
    this.violations = List.copyOf(violations);
  }

  /** The span's {@code error.type}. */
  String errorType() {
    return errorType;
  }

  /** Every violation, for the model's next attempt. */
  List<String> violations() {
    return violations;
  }
}
