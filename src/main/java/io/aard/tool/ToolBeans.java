package io.aard.tool;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Every {@link Tool} bean of the application, found by name. */
@ApplicationScoped
public class ToolBeans {

  @Inject @Any Instance<Tool> beans;

  private Map<String, Tool> byName;

  @PostConstruct
  void collect() {
    Map<String, Tool> tools = new TreeMap<>();
    for (Tool tool : beans) {
      Tool previous = tools.putIfAbsent(tool.name(), tool);
      if (previous != null) {
        throw new IllegalStateException(
            "two tools are named '"
                + tool.name()
                + "': "
                + previous.getClass().getName()
                + " and "
                + tool.getClass().getName());
      }
    }
    byName = tools;
  }

  /** The tool with this name, if there is one. */
  public Optional<Tool> find(String name) {
    return Optional.ofNullable(name == null ? null : byName.get(name));
  }
}
