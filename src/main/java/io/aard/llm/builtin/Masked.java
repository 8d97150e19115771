package io.aard.llm.builtin;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Text with its quotes and URLs swapped for placeholders (private-use characters around an index)
 * while a task is split, so that a '.', ';' or " then " inside them never ends a clause.
 *
 * @param text the text with placeholders
 * @param originals what each placeholder stands for, by index
 */
record Masked(String text, List<String> originals) {

  /** Quoted text in straight or curly quotes; the first non-null group is what is quoted. */
  static final Pattern QUOTED =
      Pattern.compile(
          "\"([^\"\\n]*)\""
              + "|“([^”\\n]*)”"
              + "|‘([^’\\n]*)’"
              // An apostrophe inside a word ("let's") neither opens nor closes a quote.
              + "|(?<![\\p{L}\\p{N}])'([^'\\n]*+(?:'(?=\\p{L})[^'\\n]*+){0,20})'"
              + "(?![\\p{L}\\p{N}])");

  private static final char OPEN = '\uE000';
  private static final char CLOSE = '\uE001';
  private static final Pattern PLACEHOLDER = Pattern.compile(OPEN + "(\\d+)" + CLOSE);

  // Trailing punctuation belongs to the sentence, not to the URL; balanced parentheses (as in
  // Wikipedia's /wiki/Java_(programming_language)) belong to the URL. Repeated groups are bounded
  // throughout: java.util.regex recurses once per repetition of a group. A URL never takes in a
  // placeholder's characters.
  private static final String URL_CHARS = "[^\\s\"'<>()\\[\\]{}\uE000\uE001]*";

  /** An http or https URL as written in running text. */
  static final Pattern URL =
      Pattern.compile(
          "https?://(?=[\\w\\[%])"
              + URL_CHARS
              + "(?:\\("
              + URL_CHARS
              + "\\)"
              + URL_CHARS
              + "){0,8}(?<![.,;:!?])",
          Pattern.CASE_INSENSITIVE);

  Masked {
    originals = List.copyOf(originals);
  }

  /** The text with quotes, then URLs, swapped for placeholders. */
  static Masked of(String text) {
    List<String> originals = new ArrayList<>();
    String masked = hide(QUOTED, text, originals);
    return new Masked(hide(URL, masked, originals), originals);
  }

  private static String hide(Pattern pattern, String text, List<String> originals) {
    return pattern
        .matcher(text)
        .replaceAll(
            match -> {
              originals.add(match.group());
              return OPEN + String.valueOf(originals.size() - 1) + CLOSE;
            });
  }

  /** A part of the masked text with its placeholders swapped back for what they stand for. */
  String reveal(String part) {
    return PLACEHOLDER
        .matcher(part)
        .replaceAll(
            match -> Matcher.quoteReplacement(originals.get(Integer.parseInt(match.group(1)))));
  }
}
