package io.aard.llm.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aard.llm.AgentProfile;
import io.aard.llm.ProposedStep;
import io.aard.llm.StepReferences;
import io.aard.llm.TaskAnalysis;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class BuiltinRulesTest {

  private static final String README_TASK =
      "Calculate (17.5 + 24.5) * 3, then count the words in 'agents need observable plans', then"
          + " write a one-line summary of the results.";

  private final BuiltinRules rules = new BuiltinRules();

  private List<ProposedStep> decompose(String task) {
    return rules.decompose(task, rules.analyze(task));
  }

  private static ProposedStep only(List<ProposedStep> steps) {
    assertEquals(1, steps.size(), () -> "expected one step, got " + steps);
    return steps.get(0);
  }

  @Test
  void readmeTaskBecomesCalculatorTextAndWriterSteps() {
    List<ProposedStep> steps = decompose(README_TASK);

    assertEquals(
        List.of(
            new ProposedStep(
                "Calculate (17.5 + 24.5) * 3", "analyst", "calculator", "(17.5 + 24.5) * 3"),
            new ProposedStep(
                "Count the words in the text",
                "analyst",
                "text",
                "word_count: agents need observable plans"),
            new ProposedStep(
                "Answer: Write a one-line summary of the results.",
                "writer",
                "llm",
                "Write a one-line summary of the results"
                    + " (step 0: {{steps.0.output}}; step 1: {{steps.1.output}}).")),
        steps);
  }

  @Test
  void readmeTaskAnalysisNamesItsCapabilitiesAndIsMedium() {
    TaskAnalysis analysis = rules.analyze(README_TASK);

    assertEquals(List.of("arithmetic", "text", "writing"), analysis.capabilities());
    assertEquals("medium", analysis.complexity());
    assertTrue(analysis.summary().startsWith("Calculate (17.5 + 24.5) * 3, then count the words"));
    assertTrue(analysis.summary().endsWith("."));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "What is 12 times (3 plus 4)?       | 12 * (3 + 4)",
        "calculate 2^10                     | 2^10",
        "Compute 7 multiplied by 6          | 7 * 6",
        "evaluate 100 divided by 8          | 100 / 8",
        "What is 9 minus 12?                | 9 - 12",
        "what is 5 squared                  | 5^2",
        "What is 2 to the power of 10?      | 2^10",
        "Calculate 3 x 4                    | 3 * 4",
        "calculate 6 × 7 ÷ 2                | 6 * 7 / 2",
        "calculate -3 + 5                   | -3 + 5",
        "12*7                               | 12 * 7",
        "(1+2)(3+4)                         | (1 + 2) * (3 + 4)",
        "What is the sum of 3 and 4?        | 3 + 4",
        "What is 2 + 2 (roughly)?           | 2 + 2",
      })
  void arithmeticBecomesANormalizedCalculatorStep(String task, String expression) {
    ProposedStep step = only(decompose(task));

    assertEquals(
        new ProposedStep("Calculate " + expression, "analyst", "calculator", expression), step);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Write a summary of the events on 2024-01-05",
        "Summarise GPT-4 and its 3 versions",
        "What is the capital of France?",
        "Explain why 3 is prime",
      })
  void numbersWithoutACalculationAreNotArithmetic(String task) {
    ProposedStep step = only(decompose(task));

    assertEquals("writer", step.agent());
    assertEquals("llm", step.tool());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "Count the words in 'agents need plans'            | word_count: agents need plans",
        "word count of one two three                       | word_count: one two three",
        "How many words are in \"a b c\"?                  | word_count: a b c",
        "Uppercase 'hello world'                           | uppercase: hello world",
        "convert hello world to upper case                 | uppercase: hello world",
        "lowercase the text HELLO                          | lowercase: HELLO",
        "reverse 'abc'                                     | reverse: abc",
        "Extract the numbers from 'a 3.5 b 42'             | extract_numbers: a 3.5 b 42",
        "extract numbers from order 17 of 2024             | extract_numbers: order 17 of 2024",
        "Count the characters in \"abc de\"                | char_count: abc de",
        "count sentences in 'One. Two. Three.'             | sentence_count: One. Two. Three.",
      })
  void textOperationsBecomeTextStepsOnTheirText(String task, String input) {
    ProposedStep step = only(decompose(task));

    assertEquals("analyst", step.agent());
    assertEquals("text", step.tool());
    assertEquals(input, step.input());
  }

  @Test
  void textOperationDescriptionsAreImperative() {
    assertEquals(
        "Count the words in the text", only(decompose("count the words in 'a b'")).description());
    assertEquals("Reverse the text", only(decompose("reverse 'a b'")).description());
  }

  @Test
  void topicThatMerelyMentionsAnOperationGoesToTheWriter() {
    ProposedStep step = only(decompose("Write about reverse engineering"));

    assertEquals("llm", step.tool());
  }

  @Test
  void textOperationWithoutTextGoesToTheWriter() {
    ProposedStep step = only(decompose("count the words"));

    assertEquals("writer", step.agent());
  }

  @Test
  void urlBecomesAFetchStep() {
    ProposedStep step = only(decompose("Fetch https://example.com."));

    assertEquals(
        new ProposedStep(
            "Fetch https://example.com", "researcher", "http_get", "https://example.com"),
        step);
  }

  @Test
  void eachUrlOfAClauseIsFetched() {
    List<ProposedStep> steps = decompose("Compare https://a.example and https://b.example/x");

    assertEquals(
        List.of("https://a.example", "https://b.example/x"),
        steps.stream().map(ProposedStep::input).toList());
  }

  @Test
  void otherClausesBecomeWriterPrompts() {
    ProposedStep step = only(decompose("Why is the sky blue?"));

    assertEquals(
        new ProposedStep("Answer: Why is the sky blue?", "writer", "llm", "Why is the sky blue?"),
        step);
  }

  @Test
  void decimalPointsDoNotSplitClauses() {
    ProposedStep step = only(decompose("Calculate 3.5 * 2.25 + 0.5"));

    assertEquals("3.5 * 2.25 + 0.5", step.input());
  }

  @Test
  void dotsInsideUrlsDoNotSplitClauses() {
    List<ProposedStep> steps =
        decompose("Fetch https://docs.example.com/v1.2/page.html?q=a.b. Then summarise it.");

    assertEquals(2, steps.size());
    assertEquals("https://docs.example.com/v1.2/page.html?q=a.b", steps.get(0).input());
    assertEquals("Summarise it (step 0: {{steps.0.output}}).", steps.get(1).input());
  }

  @Test
  void writingAboutAResultRefersToTheStepThatComputesIt() {
    List<ProposedStep> steps =
        decompose("Compute 17 * 23, then write one sentence about the result");

    assertEquals(2, steps.size(), steps.toString());
    assertEquals("17 * 23", steps.get(0).input());
    assertEquals("llm", steps.get(1).tool());
    assertEquals(
        "Write one sentence about the result (step 0: {{steps.0.output}})", steps.get(1).input());
    assertEquals(
        List.of(), StepReferences.problems(steps.stream().map(ProposedStep::input).toList()));
  }

  @Test
  void aPromptThatDoesNotPointBackGetsNoReferences() {
    List<ProposedStep> steps = decompose("Compute 2 + 2, then write a haiku about autumn");

    assertEquals("Write a haiku about autumn", steps.get(1).input());
  }

  @Test
  void theFirstStepNeverRefersBack() {
    assertEquals("Summarise the results.", only(decompose("Summarise the results.")).input());
  }

  @Test
  void urlKeepsBalancedParentheses() {
    ProposedStep step = only(decompose("fetch https://en.example.org/wiki/Java_(language)"));

    assertEquals("https://en.example.org/wiki/Java_(language)", step.input());
  }

  @Test
  void quotedTextDoesNotSplitClauses() {
    ProposedStep step = only(decompose("count the words in 'first; then second. third'"));

    assertEquals("word_count: first; then second. third", step.input());
  }

  @Test
  void apostrophesDoNotOpenQuotes() {
    List<ProposedStep> steps = decompose("Let's calculate 2+2. Then write what's next.");

    assertEquals(List.of("calculator", "llm"), steps.stream().map(ProposedStep::tool).toList());
    assertEquals("Write what's next.", steps.get(1).input());
  }

  @Test
  void splitsOnEveryConnectorAndSeparator() {
    String task =
        "calculate 1 + 1; calculate 2 + 2. Calculate 3 + 3? calculate 4 + 4! calculate 5 + 5"
            + " then calculate 6 + 6, then calculate 7 + 7 and then calculate 8 + 8"
            + " after that calculate 9 + 9\ncalculate 10 + 10";

    List<String> inputs = decompose(task).stream().map(ProposedStep::input).toList();

    assertEquals(IntStream.rangeClosed(1, 10).mapToObj(n -> n + " + " + n).toList(), inputs);
  }

  @Test
  void listItemsBecomeSteps() {
    String task = "1. Calculate 2 + 2\n2) Count the words in \"hello there\"\n- reverse 'abc'";

    List<ProposedStep> steps = decompose(task);

    assertEquals(
        List.of("2 + 2", "word_count: hello there", "reverse: abc"),
        steps.stream().map(ProposedStep::input).toList());
  }

  @Test
  void inlineNumberedListBecomesSteps() {
    List<ProposedStep> steps = decompose("1. Calculate 2 + 2. 2. Uppercase 'hi'. 3. Write a poem.");

    assertEquals(
        List.of("calculator", "text", "llm"), steps.stream().map(ProposedStep::tool).toList());
  }

  @Test
  void emptyClausesAreSkipped() {
    List<ProposedStep> steps =
        decompose(" ;; calculate 1 + 2 ;  ;\n\n  \t; then  ; write a haiku ;");

    assertEquals(
        List.of("1 + 2", "Write a haiku"), steps.stream().map(ProposedStep::input).toList());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", " \n\t ", ";;;", " . ; ! "})
  void taskWithoutUsableClauseBecomesOneWriterStep(String task) {
    ProposedStep step = only(decompose(task));

    assertEquals("writer", step.agent());
    assertEquals("llm", step.tool());
    assertEquals(task.strip(), step.input());
  }

  @Test
  void nullTaskBecomesOneWriterStep() {
    ProposedStep step = only(rules.decompose(null, null));

    assertEquals("llm", step.tool());
  }

  @Test
  void decompositionStopsAtTwentySteps() {
    String task =
        IntStream.rangeClosed(1, 30)
            .mapToObj(n -> "calculate " + n + " * 2")
            .collect(Collectors.joining("; "));

    List<ProposedStep> steps = decompose(task);

    assertEquals(ProposedStep.MAX_STEPS, steps.size());
    assertEquals("20 * 2", steps.get(19).input());
  }

  static List<String> pathologicalTasks() {
    return List.of(
        " ".repeat(10_000) + "x",
        "calculate " + "(-".repeat(5_000),
        "count the words in '" + "a'b".repeat(3_000) + "'",
        "fetch https://example.com/" + "a(b)".repeat(2_000),
        "- ".repeat(5_000),
        "a.".repeat(5_000),
        "word ".repeat(2_000),
        "count " + "the ".repeat(2_000) + "words in 'a b'");
  }

  @ParameterizedTest
  @MethodSource("pathologicalTasks")
  void longPathologicalTasksAreHandledQuickly(String task) {
    assertTimeoutPreemptively(
        Duration.ofSeconds(10),
        () -> {
          assertFalse(decompose(task).isEmpty());
          assertFalse(rules.complete(task).isEmpty());
        });
  }

  @Test
  void sameTaskGivesEqualResults() {
    BuiltinRules other = new BuiltinRules();

    assertEquals(rules.analyze(README_TASK), other.analyze(README_TASK));
    assertEquals(decompose(README_TASK), other.decompose(README_TASK, null));
    assertEquals(rules.complete(README_TASK), other.complete(README_TASK));
    assertEquals(decompose(README_TASK), decompose(README_TASK));
  }

  @Test
  void capabilitiesFollowTheClausesInAFixedOrder() {
    TaskAnalysis analysis =
        rules.analyze("write a poem; fetch https://example.com; reverse 'x'; what is 1 + 1");

    assertEquals(List.of("arithmetic", "text", "web", "writing"), analysis.capabilities());
  }

  @Test
  void singleCapabilityIsTheOnlyOneNamed() {
    assertEquals(List.of("web"), rules.analyze("fetch https://example.com").capabilities());
    assertEquals(List.of("writing"), rules.analyze("").capabilities());
  }

  @ParameterizedTest
  @CsvSource({
    "write a poem, low",
    "write a poem; write a song, medium",
    "write a poem; write a song; write a play, medium",
    "write a poem; write a song; write a play; write a novel, high",
    "'', low",
  })
  void complexityFollowsTheClauseCount(String task, String complexity) {
    assertEquals(complexity, rules.analyze(task).complexity());
  }

  @Test
  void summaryRestatesASingleClauseAsOneSentence() {
    assertEquals("Calculate 2^10.", rules.analyze("calculate 2^10").summary());
    assertEquals("Why is the sky blue?", rules.analyze("Why is the sky blue?").summary());
  }

  @Test
  void summaryIsCutToTwoHundredCharacters() {
    String task = "write " + "very ".repeat(100) + "long text";

    String summary = rules.analyze(task).summary();

    assertTrue(summary.length() <= BuiltinRules.MAX_SUMMARY_CHARS, summary);
    assertTrue(summary.endsWith("…"), summary);
  }

  @Test
  void stepsGoToAnotherAgentThatHasTheTool() {
    List<AgentProfile> agents =
        List.of(
            new AgentProfile("generalist", "does anything", List.of("llm", "calculator")),
            new AgentProfile("mathematician", "does sums", List.of("calculator")));

    ProposedStep step = only(rules.decompose("calculate 1 + 2", null, agents));

    assertEquals(new ProposedStep("Calculate 1 + 2", "generalist", "calculator", "1 + 2"), step);
  }

  @Test
  void stepsWhoseToolNoAgentHasBecomePromptsForAnAgentWithLlm() {
    List<AgentProfile> agents =
        List.of(
            new AgentProfile("analyst", "does sums", List.of("calculator")),
            new AgentProfile("scribe", "writes", List.of("llm")));

    List<ProposedStep> steps =
        rules.decompose("compare https://a.example and https://b.example", null, agents);

    assertEquals(
        List.of(
            new ProposedStep(
                "Answer: Compare https://a.example and https://b.example",
                "scribe",
                "llm",
                "Compare https://a.example and https://b.example")),
        steps);
  }

  @Test
  void rulesChoiceStandsWhenTheAgentsHaveIt() {
    List<AgentProfile> agents =
        List.of(
            new AgentProfile("researcher", "", List.of("http_get")),
            new AgentProfile("analyst", "", List.of("calculator", "text")),
            new AgentProfile("writer", "", List.of("llm")));

    assertEquals(decompose(README_TASK), rules.decompose(README_TASK, null, agents));
  }

  @Test
  void completionSaysItCannotReasonAndRestatesTheFirstSentence() {
    String answer = rules.complete("Write a one-line summary of the results. Be brief.");

    assertTrue(answer.startsWith("[builtin model] "), answer);
    assertTrue(answer.contains("\"Write a one-line summary of the results.\""), answer);
    assertFalse(answer.contains("Be brief"), answer);
    assertTrue(answer.contains("LLM_PROVIDER=ollama"), answer);
  }

  @Test
  void completionOfAnEmptyPromptSaysSo() {
    String answer = rules.complete("  ");

    assertTrue(answer.startsWith("[builtin model] The prompt was empty."), answer);
  }

  @Test
  void completionRestatesAtMostTwoHundredCharacters() {
    String answer = rules.complete("word ".repeat(200));

    assertTrue(answer.length() < BuiltinRules.MAX_SUMMARY_CHARS + 150, answer);
  }
}
