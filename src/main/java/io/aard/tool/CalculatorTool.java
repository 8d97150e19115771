package io.aard.tool;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Exact decimal arithmetic: {@code + - * / ^ **}, parentheses, unary minus and decimal numbers,
 * evaluated by AARD's own parser (never a script engine). The output is the result in plain
 * notation without trailing zeros, so {@code 0.1 + 0.2} gives {@code 0.3}.
 */
@ApplicationScoped
public class CalculatorTool implements Tool {

  /** The tool's name in plans and spans. */
  public static final String NAME = "calculator";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Evaluates an arithmetic expression exactly, e.g. '(2.5 + 3) * 4 ^ 2'; supports"
        + " + - * / ^ and parentheses.";
  }

  @Override
  public String execute(String input) throws ToolException {
    return Arithmetic.calculate(input);
  }
}
