package io.aard.llm.builtin;

import io.aard.llm.ProposedStep;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognises a clause that asks for one of the {@code text} tool's operations ("count the words in
 * ...", "convert 'x' to upper case") and finds the text it applies to.
 */
final class TextRequests {

  private static final Pattern TEXT_REQUEST =
      Pattern.compile(
          "\\s*(?:(?:please|now|also|can\\s+you|could\\s+you|tell\\s+me|give\\s+me|what\\s+is"
              + "|what['’]s)\\s+){0,4}(?:the\\s+)?"
              + "(?:(?:convert|change|make|turn|transform|put)\\b.*)?",
          Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
  private static final Pattern IN_OF_FROM =
      Pattern.compile("\\b(?:in|of|from)\\s+", Pattern.CASE_INSENSITIVE);
  private static final int MAX_WORDS_BEFORE_IN_OF_FROM = 3;
  private static final Pattern TEXT_NOUN =
      Pattern.compile(
          "^(?:the\\s+)?(?:following\\s+)?(?:text|string|phrase|sentences?|words|line|message"
              + "|input)\\s*:?\\s+(?=\\S)",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern CONVERT_VERB =
      Pattern.compile(
          "^(?:please\\s+)?(?:convert|change|make|turn|put|transform|write|render)\\s+",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern TRAILING_TO = Pattern.compile("\\s+(?:to|into|in)\\s*$");

  /** The operations of the {@code text} tool, in the order their wording is tried. */
  private enum TextOperation {
    WORD_COUNT(
        "word_count",
        "Count the words in the text",
        "\\bcount(?:\\s+(?:all|the|number|of)){0,4}\\s+words\\b|\\bword\\s+count\\b"
            + "|\\bnumber\\s+of\\s+words\\b|\\bhow\\s+many\\s+words\\b"),
    CHAR_COUNT(
        "char_count",
        "Count the characters in the text",
        "\\bcount(?:\\s+(?:all|the|number|of)){0,4}\\s+(?:characters|chars|letters)\\b"
            + "|\\b(?:character|char)\\s+count\\b|\\bnumber\\s+of\\s+characters\\b"
            + "|\\bhow\\s+many\\s+characters\\b"),
    SENTENCE_COUNT(
        "sentence_count",
        "Count the sentences in the text",
        "\\bcount(?:\\s+(?:all|the|number|of)){0,4}\\s+sentences\\b|\\bsentence\\s+count\\b"
            + "|\\bnumber\\s+of\\s+sentences\\b|\\bhow\\s+many\\s+sentences\\b"),
    EXTRACT_NUMBERS(
        "extract_numbers",
        "Extract the numbers from the text",
        "\\b(?:extract|find|list|pull\\s+out)(?:\\s+(?:all|the|of)){0,4}\\s+numbers\\b"),
    UPPERCASE("uppercase", "Convert the text to upper case", "\\bupper[\\s-]?case(?:d)?\\b"),
    LOWERCASE("lowercase", "Convert the text to lower case", "\\blower[\\s-]?case(?:d)?\\b"),
    REVERSE("reverse", "Reverse the text", "\\breverse\\b");

    private final String operation;
    private final String description;
    private final Pattern wording;

    TextOperation(String operation, String description, String wording) {
      this.operation = operation;
      this.description = description;
      this.wording = Pattern.compile(wording, Pattern.CASE_INSENSITIVE);
    }
  }

  private TextRequests() {}

  /**
   * The {@code text} step the clause asks for, if it asks for one and names its text.
   *
   * @param clause a clause without its trailing punctuation
   */
  static Optional<ProposedStep> find(String clause) {
    for (TextOperation operation : TextOperation.values()) {
      Matcher wording = operation.wording.matcher(clause);
      if (wording.find() && asksFor(clause, wording.start())) {
        String operand = textOperand(clause, wording.start(), wording.end());
        if (!operand.isEmpty()) {
          return Optional.of(
              Steps.text(operation.description, operation.operation + ": " + operand));
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Whether a text operation's wording is the clause's request rather than a topic, as "reverse" is
   * in "write about reverse engineering": it is when the clause quotes its text or opens with the
   * wording (perhaps after "please", "what is the" or a verb like "convert").
   */
  private static boolean asksFor(String clause, int wordingStart) {
    return Masked.QUOTED.matcher(clause).find()
        || TEXT_REQUEST.matcher(clause.substring(0, wordingStart)).matches();
  }

  /** The text an operation applies to: quoted text, else what the clause says it is. */
  private static String textOperand(String clause, int wordingStart, int wordingEnd) {
    Matcher quoted = Masked.QUOTED.matcher(clause);
    if (quoted.find()) {
      for (int group = 1; group <= quoted.groupCount(); group++) {
        if (quoted.group(group) != null) {
          return quoted.group(group).strip();
        }
      }
    }
    String rest = clause.substring(wordingEnd).strip();
    Matcher preposition = IN_OF_FROM.matcher(rest);
    if (preposition.find()
        && Texts.wordCount(rest.substring(0, preposition.start())) <= MAX_WORDS_BEFORE_IN_OF_FROM) {
      rest = rest.substring(preposition.end());
    }
    rest = TEXT_NOUN.matcher(rest).replaceFirst("");
    rest = rest.replaceFirst("^:\\s*", "").strip();
    if (!rest.isEmpty()) {
      return rest;
    }
    // "convert hello world to uppercase": the text comes before the wording
    String before =
        CONVERT_VERB.matcher(clause.substring(0, wordingStart).strip()).replaceFirst("");
    return TRAILING_TO.matcher(before).replaceFirst("").strip();
  }
}
