package io.aard.tool;

import io.aard.llm.LanguageModel;
import io.aard.llm.LanguageModelException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Asks the configured language model: the input is the prompt, the output the model's answer. A
 * model failure fails the step with the model's error message.
 */
@ApplicationScoped
public class LlmTool implements Tool {

  /** The tool's name in plans and spans. */
  public static final String NAME = "llm";

  @Inject LanguageModel model;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Asks the language model a free-form question; input is the prompt.";
  }

  @Override
  public String execute(String input) throws ToolException {
    return execute(input, "");
  }

  /** Asks the model with the task and the earlier steps' results as context. */
  @Override
  public String execute(String input, String context) throws ToolException {
    if (input == null || input.isBlank()) {
      throw new ToolException("the llm tool needs a prompt, but the input is empty");
    }
    try {
      return model.complete(input, context);
    } catch (LanguageModelException e) {
      throw new ToolException(
          e.getMessage() == null
              ? "the language model failed (" + e.kind() + ")"
              : LanguageModelException.withoutAddress(e.getMessage()),
          e);
    }
  }
}
