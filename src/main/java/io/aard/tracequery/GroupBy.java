package io.aard.tracequery;

/** The span columns that statistics can be grouped by; each names its column. */
public enum GroupBy {
  OPERATION_NAME("operation_name"),
  AGENT_ID("agent_id"),
  TOOL_ID("tool_id"),
  STATUS("status"),
  SERVICE_NAME("service_name"),
  /**
   * The model of a model call: {@code gen_ai.response.model}, else {@code gen_ai.request.model}.
   */
  MODEL("model");

  private final String column;

  GroupBy(String column) {
    this.column = column;
  }

  /** The column of {@code execution_traces}; a constant, never user input. */
  String column() {
    return column;
  }
}
