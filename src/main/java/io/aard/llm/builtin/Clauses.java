package io.aard.llm.builtin;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Splits a task into clauses, the units the rules route to tools: at line breaks, semicolons,
 * sentence ends and connectors such as "then" or "after that", never inside quotes or URLs.
 */
final class Clauses {

  // A sentence ends at . ? ! followed by white space, so 3.5 and example.com stay whole.
  private static final Pattern CLAUSE_BREAK =
      Pattern.compile(
          "\\R|;|(?<=[.?!])\\s+|,?\\s+and\\s+then\\s+|,\\s*then\\s+|\\s+then\\s+"
              + "|,?\\s+after\\s+that\\b,?\\s*",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern SENTENCE_BREAK = Pattern.compile("\\R|(?<=[.?!])\\s+");

  private static final Pattern LIST_MARKER =
      Pattern.compile("^(?:[-*•·]|\\d{1,3}[.)]|\\(\\d{1,3}\\)|[a-zA-Z]\\))\\s+");
  private static final Pattern LEADING_CONNECTOR =
      Pattern.compile(
          "^(?:(?:and\\s+)?then\\b,?|after\\s+that\\b,?"
              + "|(?:afterwards|next|finally|lastly|first(?:ly)?|secondly|also)\\s*,)\\s*",
          Pattern.CASE_INSENSITIVE);
  // What is left of an inline numbered list ("1. Calculate ... 2. Count ...") after splitting.
  private static final Pattern BARE_LIST_MARKER = Pattern.compile("^(?:\\d{1,3}|[a-zA-Z])[.)]?$");
  private static final Pattern USABLE = Pattern.compile("[\\p{L}\\p{N}]");

  // Markers and connectors rarely stack ("1. Then, ..."); the bound keeps cleaning linear.
  private static final int MAX_CLEANING_PASSES = 4;

  private Clauses() {}

  /**
   * The task's usable clauses (each with a letter or digit), in order, cleaned of list markers,
   * connectors and trailing separators, their white space collapsed.
   *
   * @param task the task; {@code null} has no clauses
   */
  static List<String> of(String task) {
    if (task == null || task.isBlank()) {
      return List.of();
    }
    Masked masked = Masked.of(Texts.normalizeWhitespace(task));
    List<String> clauses = new ArrayList<>();
    for (String part : CLAUSE_BREAK.split(masked.text())) {
      String clause = clean(part);
      if (clause.isEmpty() || BARE_LIST_MARKER.matcher(clause).matches()) {
        continue;
      }
      clause = Texts.collapse(masked.reveal(clause));
      if (USABLE.matcher(clause).find()) {
        clauses.add(clause);
      }
    }
    return clauses;
  }

  /**
   * The prompt's first sentence that has a letter or digit, its white space collapsed; empty when
   * there is none.
   *
   * @param prompt the prompt; {@code null} reads as empty
   */
  static String firstSentence(String prompt) {
    if (prompt == null || prompt.isBlank()) {
      return "";
    }
    Masked masked = Masked.of(Texts.normalizeWhitespace(prompt.strip()));
    for (String part : SENTENCE_BREAK.split(masked.text())) {
      String sentence = Texts.collapse(masked.reveal(part));
      if (USABLE.matcher(sentence).find()) {
        return sentence;
      }
    }
    return "";
  }

  private static String clean(String part) {
    String clause = part.strip();
    for (int pass = 0; pass < MAX_CLEANING_PASSES; pass++) {
      String before = clause;
      clause = LIST_MARKER.matcher(clause).replaceFirst("");
      clause = LEADING_CONNECTOR.matcher(clause).replaceFirst("");
      clause = Texts.trimEnd(clause, Texts.SEPARATORS);
      if (clause.equals(before)) {
        break;
      }
    }
    return clause;
  }
}
