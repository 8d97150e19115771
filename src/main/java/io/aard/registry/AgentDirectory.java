package io.aard.registry;

import io.aard.llm.AgentProfile;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The agents and tools of the registry. They are seeded by migrations and change only with a new
 * release, so they are read once and kept.
 */
@ApplicationScoped
public class AgentDirectory {

  @PersistenceContext(unitName = "aard")
  EntityManager em;

  private volatile Snapshot snapshot;

  private record Snapshot(List<Agent> agents, List<RegisteredTool> tools) {}

  private Snapshot snapshot() {
    Snapshot current = snapshot;
    if (current == null) {
      List<Agent> agents =
          em.createQuery("SELECT a FROM Agent a", Agent.class).getResultList().stream()
              .sorted(Comparator.comparing(Agent::name))
              .toList();
      List<RegisteredTool> tools =
          em
              .createQuery("SELECT t FROM RegisteredTool t", RegisteredTool.class)
              .getResultList()
              .stream()
              .sorted(Comparator.comparing(RegisteredTool::name))
              .toList();
      current = new Snapshot(agents, tools);
      snapshot = current;
    }
    return current;
  }

  /** Every agent, by name. */
  public List<Agent> agents() {
    return snapshot().agents();
  }

  /** Every registered tool, by name. */
  public List<RegisteredTool> tools() {
    return snapshot().tools();
  }

  public Optional<Agent> agent(String name) {
    return agents().stream().filter(a -> a.name().equals(name)).findFirst();
  }

  public Optional<Agent> agent(UUID id) {
    return agents().stream().filter(a -> a.id().equals(id)).findFirst();
  }

  public Optional<RegisteredTool> tool(String name) {
    return tools().stream().filter(t -> t.name().equals(name)).findFirst();
  }

  public Optional<RegisteredTool> tool(UUID id) {
    return tools().stream().filter(t -> t.id().equals(id)).findFirst();
  }

  /** The agents as a language model sees them when it assigns steps. */
  public List<AgentProfile> profiles() {
    return agents().stream()
        .map(
            a ->
                new AgentProfile(
                    a.name(),
                    a.description(),
                    a.tools().stream().map(RegisteredTool::name).toList()))
        .toList();
  }
}
