package io.aard.registry;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;

/** {@code GET /api/agents}: the agents and the tools each may use. */
@Path("agents")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class AgentResource {

  @Inject AgentDirectory directory;

  /** The response body. */
  public record AgentList(List<AgentView> agents) {}

  /** One agent. */
  public record AgentView(UUID id, String name, String description, List<ToolRef> tools) {}

  /** A tool an agent may use. */
  public record ToolRef(UUID id, String name) {}

  @GET
  public AgentList list() {
    return new AgentList(
        directory.agents().stream()
            .map(
                a ->
                    new AgentView(
                        a.id(),
                        a.name(),
                        a.description(),
                        a.tools().stream().map(AgentResource::ref).toList()))
            .toList());
  }

  private static ToolRef ref(RegisteredTool tool) {
    return new ToolRef(tool.id(), tool.name());
  }
}
