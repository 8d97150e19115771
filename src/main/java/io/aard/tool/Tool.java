package io.aard.tool;

/**
 * A capability an agent can use in a step. Implementations are {@code @ApplicationScoped} CDI
 * beans; {@link ToolBeans} finds them by {@link #name()}.
 */
public interface Tool {

  /** The stable name used in plans, spans ({@code gen_ai.tool.name}) and the tools table. */
  String name();

  /** One sentence for users and for the language model that chooses tools. */
  String description();

  /**
   * Runs the tool on a step's input.
   *
   * @return the step's output
   * @throws ToolException when the input is unusable or the tool fails; its message is shown to the
   *     user as the step's error, so it must say what went wrong in their terms
   */
  String execute(String input) throws ToolException;

  /**
   * Runs the tool on a step's input, knowing the task and the plan's earlier steps. Tools that have
   * no use for them ignore them (the default).
   *
   * @param context the task and the earlier steps' descriptions and outputs, as text; may be empty
   */
  default String execute(String input, String context) throws ToolException {
    return execute(input);
  }
}
