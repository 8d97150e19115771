package io.aard.llm.builtin;

import java.util.Locale;
import java.util.regex.Pattern;

/** The small text edits the rules share: trimming, shortening, white space and letter case. */
final class Texts {

  /** Marks that end a clause's last word without belonging to it. */
  static final String PUNCTUATION = ",;:.?!";

  /** Marks that separate clauses and are dropped from a clause's end. */
  static final String SEPARATORS = ",;:";

  private static final Pattern WHITESPACE = Pattern.compile("\\s+");
  private static final String ELLIPSIS = "…";

  private Texts() {}

  /**
   * The text cut to {@code max} characters at a word boundary where one is near, ending in an
   * ellipsis; unchanged when it is short enough.
   */
  static String abbreviate(String text, int max) {
    if (text.length() <= max) {
      return text;
    }
    String cut = text.substring(0, max - ELLIPSIS.length());
    int space = cut.lastIndexOf(' ');
    if (space > max / 2) {
      cut = cut.substring(0, space);
    }
    return trimEnd(cut, PUNCTUATION) + ELLIPSIS;
  }

  /** Strips trailing white space and the given punctuation marks. */
  static String trimEnd(String text, String marks) {
    int end = text.length();
    while (end > 0) {
      char last = text.charAt(end - 1);
      if (!Character.isWhitespace(last) && marks.indexOf(last) < 0) {
        break;
      }
      end--;
    }
    return text.substring(0, end);
  }

  /**
   * Turns each run of white space into one line break if it holds one, else into one space, in a
   * single pass: the clause patterns then never scan a long run of white space again and again.
   */
  static String normalizeWhitespace(String text) {
    StringBuilder normalized = new StringBuilder(text.length());
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (!Character.isWhitespace(c)) {
        normalized.append(c);
        i++;
        continue;
      }
      boolean lineBreak = false;
      while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
        lineBreak |= text.charAt(i) == '\n' || text.charAt(i) == '\r';
        i++;
      }
      normalized.append(lineBreak ? '\n' : ' ');
    }
    return normalized.toString();
  }

  /** Each run of white space as one space, and none at either end. */
  static String collapse(String text) {
    return WHITESPACE.matcher(text).replaceAll(" ").strip();
  }

  /** How many words, separated by white space, the text has. */
  static long wordCount(String text) {
    String stripped = text.strip();
    return stripped.isEmpty() ? 0 : WHITESPACE.split(stripped).length;
  }

  /** Upper-cases the first letter if it is a lower-case one. */
  static String capitalize(String text) {
    if (text.isEmpty() || !Character.isLowerCase(text.charAt(0))) {
      return text;
    }
    return text.substring(0, 1).toUpperCase(Locale.ROOT) + text.substring(1);
  }

  /** Lower-cases the first letter unless the word looks like an acronym ("URL", "AARD"). */
  static String decapitalize(String text) {
    if (text.length() < 2
        || !Character.isUpperCase(text.charAt(0))
        || Character.isUpperCase(text.charAt(1))) {
      return text;
    }
    return text.substring(0, 1).toLowerCase(Locale.ROOT) + text.substring(1);
  }
}
