package io.aard.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class StepReferencesTest {

  @Test
  void referencesToEarlierStepsAreAccepted() {
    assertEquals(
        List.of(),
        StepReferences.problems(
            List.of(
                "17 * 23",
                "about {{steps.0.output}}",
                "{{ steps.0.output }} and {{steps.1.output}}")));
  }

  @Test
  void aReferenceToALaterStepIsRefusedNamingBoth() {
    List<String> problems = StepReferences.problems(List.of("{{steps.1.output}}", "x"));

    assertEquals(1, problems.size(), problems.toString());
    assertTrue(
        problems
            .get(0)
            .startsWith("$.steps[0].input: {{steps.1.output}} refers to step 1, which comes later"),
        problems.get(0));
  }

  @Test
  void aReferenceToItselfOrAMissingStepIsRefused() {
    List<String> problems =
        StepReferences.problems(List.of("a", "{{steps.1.output}} {{steps.7.output}}"));

    assertEquals(2, problems.size(), problems.toString());
    assertTrue(problems.get(0).contains("is this step"), problems.get(0));
    assertTrue(problems.get(1).contains("does not exist"), problems.get(1));
  }

  @Test
  void aMalformedReferenceIsRefusedRatherThanPassedOnAsText() {
    List<String> problems =
        StepReferences.problems(
            List.of("a", "{{steps.0}} {{steps.zero.output}} {{steps[0].output}}"));

    assertEquals(3, problems.size(), problems.toString());
    assertTrue(problems.get(0).contains("write {{steps.N.output}}"), problems.get(0));
  }

  @Test
  void textWithOtherBracesIsLeftAlone() {
    assertEquals(List.of(), StepReferences.problems(List.of("{{name}} and {not a ref}")));
    assertEquals("{{name}}", StepReferences.resolve("{{name}}", List.of()));
  }

  @Test
  void resolveReplacesEveryReferenceWithThatOutput() {
    assertEquals(
        "391 is 17 * 23; again: 391 $1 \\",
        StepReferences.resolve(
            "{{steps.0.output}} is {{steps.1.output}}; again: {{ steps.0.output }} {{steps.2.output}}",
            List.of("391", "17 * 23", "$1 \\")));
  }

  @Test
  void resolveRefusesAReferenceWithoutOutput() {
    assertThrows(
        IllegalArgumentException.class,
        () -> StepReferences.resolve("{{steps.3.output}}", List.of("a")));
  }
}
