package io.aard.llm;

import java.util.List;

/**
 * What a model needs to know of an agent to assign it steps.
 *
 * @param name the agent's name
 * @param description what it is good at
 * @param tools the names of the tools it may use
 */
public record AgentProfile(String name, String description, List<String> tools) {

  public AgentProfile {
    tools = List.copyOf(tools);
  }
}
