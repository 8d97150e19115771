package io.aard.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TextToolTest {

  private static final String OPERATIONS =
      "word_count, char_count, sentence_count, uppercase, lowercase, reverse, extract_numbers";

  private final TextTool tool = new TextTool();

  private String run(String input) throws ToolException {
    return tool.execute(input);
  }

  private String error(String input) {
    return assertThrows(ToolException.class, () -> tool.execute(input)).getMessage();
  }

  @Test
  void nameIsText() {
    assertEquals("text", tool.name());
  }

  @Test
  void wordCountCountsWhitespaceSeparatedWords() throws ToolException {
    assertEquals("4", run("word_count: The quick brown fox"));
    assertEquals("3", run("word_count:   Hello,   world!\n  don't  "));
  }

  @Test
  void wordCountIgnoresLonePunctuation() throws ToolException {
    assertEquals("2", run("word_count: yes — no"));
  }

  @Test
  void wordCountOfEmptyTextIsZero() throws ToolException {
    assertEquals("0", run("word_count:"));
    assertEquals("0", run("word_count:    "));
  }

  @Test
  void charCountCountsCodePointsIncludingSpaces() throws ToolException {
    assertEquals("11", run("char_count: hello world"));
    assertEquals("3", run("char_count: a😀b"));
  }

  @Test
  void charCountExcludesTheWhitespaceAroundTheText() throws ToolException {
    assertEquals("2", run("char_count:   ab  "));
  }

  @Test
  void sentenceCountSplitsOnTerminalPunctuation() throws ToolException {
    assertEquals("3", run("sentence_count: Hi! How are you? Fine."));
    assertEquals("2", run("sentence_count: One sentence. And an unfinished one"));
  }

  @Test
  void sentenceCountIgnoresDecimalPoints() throws ToolException {
    assertEquals("1", run("sentence_count: It costs 3.50 euros."));
  }

  @Test
  void sentenceCountSeesTerminatorsInsideQuotes() throws ToolException {
    assertEquals("2", run("sentence_count: He said \"stop.\" Then he left."));
  }

  @Test
  void sentenceCountOfEmptyTextIsZero() throws ToolException {
    assertEquals("0", run("sentence_count: "));
    assertEquals("0", run("sentence_count: ... !"));
  }

  @Test
  void uppercaseAndLowercaseAreLocaleIndependent() throws ToolException {
    assertEquals("TITLE ÄÖ", run("uppercase: title äö"));
    assertEquals("title", run("lowercase: TITLE"));
  }

  @Test
  void reverseKeepsSurrogatePairsIntact() throws ToolException {
    assertEquals("cba", run("reverse: abc"));
    assertEquals("b😀a", run("reverse: a😀b"));
  }

  @Test
  void extractNumbersListsThemCommaSeparated() throws ToolException {
    assertEquals("3, 4.5, -2", run("extract_numbers: 3 apples, 4.5 kg and -2 degrees"));
  }

  @Test
  void extractNumbersReadsHyphenBetweenNumbersAsARange() throws ToolException {
    assertEquals("3, 4", run("extract_numbers: pages 3-4"));
  }

  @Test
  void extractNumbersNormalisesTheUnicodeMinus() throws ToolException {
    assertEquals("-7", run("extract_numbers: it is −7 outside"));
  }

  @Test
  void extractNumbersLeavesSentencePeriodsOut() throws ToolException {
    assertEquals("10, 20", run("extract_numbers: It went from 10 to 20."));
  }

  @Test
  void extractNumbersOfTextWithoutNumbersIsEmpty() throws ToolException {
    assertEquals("", run("extract_numbers: none here"));
  }

  @Test
  void textAfterTheFirstColonIsKept() throws ToolException {
    assertEquals("TIME: 10:30", run("uppercase: time: 10:30"));
  }

  @Test
  void operationNameIsForgiving() throws ToolException {
    assertEquals("2", run("  Word_Count : two words"));
    assertEquals("2", run("word count: two words"));
    assertEquals("2", run("word-count: two words"));
  }

  @Test
  void unknownOperationListsTheAcceptedOnes() {
    assertEquals(
        "unknown text operation 'translate'; accepted operations: " + OPERATIONS,
        error("translate: bonjour"));
  }

  @Test
  void missingColonExplainsTheFormat() {
    String message = error("word_count the quick fox");
    assertTrue(message.startsWith("the text tool expects '<operation>: <text>'"), message);
    assertTrue(message.endsWith(OPERATIONS), message);
  }

  @Test
  void nullInputExplainsTheFormat() {
    assertTrue(error(null).startsWith("the text tool expects '<operation>: <text>'"));
  }

  @Test
  void descriptionNamesEveryOperation() {
    assertTrue(tool.description().contains(OPERATIONS));
  }
}
