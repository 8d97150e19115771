package io.aard.tool;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Deterministic text operations. The input is {@code <operation>: <text>}, for example {@code
 * word_count: The quick brown fox}; the text is everything after the first colon, without
 * surrounding whitespace. The operations:
 *
 * <ul>
 *   <li>{@code word_count}: whitespace-separated words that hold at least one letter or digit
 *   <li>{@code char_count}: Unicode characters (code points), spaces included
 *   <li>{@code sentence_count}: sentences ended by {@code . ! ? …} followed by a space or the end
 *       (a final sentence without one counts too); a decimal point such as {@code 3.5} does not end
 *       a sentence, an abbreviation such as {@code Dr.} does
 *   <li>{@code uppercase}, {@code lowercase}: locale-independent case mapping
 *   <li>{@code reverse}: the characters in reverse order
 *   <li>{@code extract_numbers}: the numbers in order of appearance, comma-separated, e.g. {@code
 *       3, 4.5, -2}; a minus sign counts only when it does not follow a letter or digit (so {@code
 *       3-4} gives {@code 3, 4}); empty when there are none
 * </ul>
 *
 * <p>The operation name is case-insensitive and may use spaces or hyphens for underscores.
 */
@ApplicationScoped
public class TextTool implements Tool {

  /** The tool's name in plans and spans. */
  public static final String NAME = "text";

  private static final Pattern WHITESPACE =
      Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);

  // A terminator, optionally followed by closing quotes or brackets, then whitespace.
  private static final Pattern SENTENCE_END =
      Pattern.compile(
          "(?<=[.!?\u2026][\"'\u201d\u2019\u00bb)\\]]{0,3})\\s+", Pattern.UNICODE_CHARACTER_CLASS);

  private static final Pattern NUMBER =
      Pattern.compile("(?:(?<![\\p{L}\\p{N}])[-\u2212])?[0-9]+(?:\\.[0-9]+)?");

  private enum Operation {
    WORD_COUNT,
    CHAR_COUNT,
    SENTENCE_COUNT,
    UPPERCASE,
    LOWERCASE,
    REVERSE,
    EXTRACT_NUMBERS;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    static String labels() {
      return Arrays.stream(values()).map(Operation::label).collect(Collectors.joining(", "));
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Deterministic text operations; input '<operation>: <text>' where operation is one of "
        + Operation.labels()
        + ", e.g. 'word_count: The quick brown fox'.";
  }

  @Override
  public String execute(String input) throws ToolException {
    int colon = input == null ? -1 : input.indexOf(':');
    if (colon < 0) {
      throw new ToolException(
          "the text tool expects '<operation>: <text>', e.g. 'word_count: The quick brown fox',"
              + " with operation one of "
              + Operation.labels());
    }
    String requested = input.substring(0, colon).strip();
    String text = input.substring(colon + 1).strip();
    return apply(operation(requested), text);
  }

  private static Operation operation(String requested) throws ToolException {
    String normalized = requested.toLowerCase(Locale.ROOT).replace(' ', '_').replace('-', '_');
    for (Operation operation : Operation.values()) {
      if (operation.label().equals(normalized)) {
        return operation;
      }
    }
    throw new ToolException(
        "unknown text operation '" + requested + "'; accepted operations: " + Operation.labels());
  }

  private static String apply(Operation operation, String text) {
    return switch (operation) {
      case WORD_COUNT -> String.valueOf(wordCount(text));
      case CHAR_COUNT -> String.valueOf(text.codePointCount(0, text.length()));
      case SENTENCE_COUNT -> String.valueOf(sentenceCount(text));
      case UPPERCASE -> text.toUpperCase(Locale.ROOT);
      case LOWERCASE -> text.toLowerCase(Locale.ROOT);
      case REVERSE -> new StringBuilder(text).reverse().toString();
      case EXTRACT_NUMBERS -> extractNumbers(text);
    };
  }

  private static long wordCount(String text) {
    return WHITESPACE.splitAsStream(text).filter(TextTool::hasLetterOrDigit).count();
  }

  private static long sentenceCount(String text) {
    return SENTENCE_END.splitAsStream(text).filter(TextTool::hasLetterOrDigit).count();
  }

  private static String extractNumbers(String text) {
    Matcher matcher = NUMBER.matcher(text);
    StringBuilder numbers = new StringBuilder();
    while (matcher.find()) {
      if (numbers.length() > 0) {
        numbers.append(", ");
      }
      numbers.append(matcher.group().replace('\u2212', '-'));
    }
    return numbers.toString();
  }

  private static boolean hasLetterOrDigit(String s) {
    return s.codePoints().anyMatch(Character::isLetterOrDigit);
  }
}
