package io.aard.llm.ollama;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aard.llm.Capability;
import io.aard.llm.Complexity;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class OllamaPromptsTest {

  /** The analysis prompt is prose, written by hand: it must still offer the whole vocabulary. */
  @Test
  void analysisPromptNamesEveryCapabilityAndComplexity() {
    String system = OllamaPrompts.analyze("task").get(0).content();

    for (Capability capability : Capability.values()) {
      assertTrue(system.contains(" " + capability.wireName() + " ("), capability::wireName);
    }
    for (Complexity complexity : Complexity.values()) {
      assertTrue(system.matches("(?s).*\\b" + complexity.wireName() + "\\b.*"), complexity::name);
    }
  }

  @Test
  void reaskListsAtMostTenViolations() {
    List<String> violations = IntStream.range(0, 12).mapToObj(i -> "v" + i).toList();

    String reask = OllamaPrompts.reask(violations);

    assertTrue(reask.contains("v9; and 2 more."), reask);
  }
}
