package io.aard.registry;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.JoinTable;
import jakarta.persistence.ManyToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** An agent: a named role that runs steps with the tools it is allowed to use. */
@Entity
@Table(name = "agents")
public class Agent {

  @Id private UUID id;

  @Column(nullable = false, unique = true)
  private String name;

  @Column(nullable = false)
  private String description;

  @ManyToMany(fetch = FetchType.EAGER)
  @JoinTable(
      name = "agent_tools",
      joinColumns = @JoinColumn(name = "agent_id"),
      inverseJoinColumns = @JoinColumn(name = "tool_id"))
  @OrderBy("name")
  private List<RegisteredTool> tools = new ArrayList<>();

  protected Agent() {}

  public UUID id() {
    return id;
  }

  public String name() {
    return name;
  }

  public String description() {
    return description;
  }

  public List<RegisteredTool> tools() {
    return List.copyOf(tools);
  }

  /** Whether this agent may use the named tool. */
  public boolean mayUse(String toolName) {
    return tools.stream().anyMatch(t -> t.name().equals(toolName));
  }
}
