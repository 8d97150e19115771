package io.aard.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The planning vocabulary's wire names are in stored plans and API responses: they must not move.
 */
class VocabularyTest {

  @Test
  void capabilitiesKeepTheirWireNamesAndOrder() {
    assertEquals(List.of("arithmetic", "text", "web", "writing"), Capability.wireNames());
  }

  @Test
  void complexitiesKeepTheirWireNamesAndOrder() {
    assertEquals(List.of("low", "medium", "high"), Complexity.wireNames());
  }

  @Test
  void analysisFromTheVocabularyHoldsWireNames() {
    TaskAnalysis analysis =
        TaskAnalysis.of("Add.", List.of(Capability.ARITHMETIC, Capability.WRITING), Complexity.LOW);

    assertEquals(new TaskAnalysis("Add.", List.of("arithmetic", "writing"), "low"), analysis);
  }

  @Test
  void planLengthIsBoundedAtTwenty() {
    assertEquals(20, ProposedStep.MAX_STEPS);
  }
}
