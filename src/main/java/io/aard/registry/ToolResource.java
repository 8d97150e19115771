package io.aard.registry;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;

/** {@code GET /api/tools}: the registered tools. */
@Path("tools")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class ToolResource {

  @Inject AgentDirectory directory;

  /** The response body. */
  public record ToolList(List<ToolView> tools) {}

  /** One tool. */
  public record ToolView(UUID id, String name, String description) {}

  @GET
  public ToolList list() {
    return new ToolList(
        directory.tools().stream()
            .map(t -> new ToolView(t.id(), t.name(), t.description()))
            .toList());
  }
}
