package io.aard.llm.builtin;

/**
 * Counts tokens approximately, for the {@code gen_ai.usage.*} counts of the builtin provider, which
 * has no tokenizer: every word or number (with inner apostrophes and dots, as in {@code don't},
 * {@code 3.5} or {@code example.com}) and every other non-space character is one token.
 */
final class Tokens {

  private Tokens() {}

  /**
   * The text's token count.
   *
   * @param text the text; {@code null} has no tokens
   */
  static long count(String text) {
    if (text == null) {
      return 0;
    }
    long tokens = 0;
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
        continue;
      }
      tokens++;
      if (!isWordChar(c)) {
        i++;
        continue;
      }
      do {
        i++;
        boolean joined =
            i + 1 < text.length() && isWordJoiner(text.charAt(i)) && isWordChar(text.charAt(i + 1));
        if (joined) {
          i++;
        }
      } while (i < text.length() && isWordChar(text.charAt(i)));
    }
    return tokens;
  }

  private static boolean isWordChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_';
  }

  private static boolean isWordJoiner(char c) {
    return c == '\'' || c == '’' || c == '.';
  }
}
