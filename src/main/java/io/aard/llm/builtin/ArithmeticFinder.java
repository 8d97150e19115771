package io.aard.llm.builtin;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the arithmetic expression a clause asks to calculate, written with symbols ("2 * (3 + 4)")
 * or words ("the sum of 3 and 4", "2 squared"), and writes it as the calculator reads it.
 */
final class ArithmeticFinder {

  private static final Pattern ARITHMETIC_CUE =
      Pattern.compile(
          "\\b(?:calculate|compute|evaluate|solve|work\\s+out|what\\s+is|what['’]s|whats"
              + "|how\\s+much\\s+is|result\\s+of)\\b",
          Pattern.CASE_INSENSITIVE);
  private static final String NUMBER = "(-?\\d+(?:\\.\\d+)?)";
  private static final List<Rewrite> OPERATOR_WORDS =
      List.of(
          new Rewrite("\\b(?:the\\s+)?sum\\s+of\\s+" + NUMBER + "\\s+and\\s+" + NUMBER, "$1 + $2"),
          new Rewrite(
              "\\b(?:the\\s+)?product\\s+of\\s+" + NUMBER + "\\s+and\\s+" + NUMBER, "$1 * $2"),
          new Rewrite(
              "\\b(?:the\\s+)?difference\\s+(?:between|of)\\s+" + NUMBER + "\\s+and\\s+" + NUMBER,
              "$1 - $2"),
          new Rewrite("\\s*\\b(?:raised\\s+)?to\\s+the\\s+power\\s+of\\b\\s*", "^"),
          new Rewrite("\\s*\\braised\\s+to\\b\\s*", "^"),
          new Rewrite("\\s*\\bsquared\\b", "^2"),
          new Rewrite("\\s*\\bcubed\\b", "^3"),
          new Rewrite("\\s*\\bmultiplied\\s+by\\b\\s*", " * "),
          new Rewrite("\\s*\\btimes\\b\\s*", " * "),
          new Rewrite("\\s*\\bdivided\\s+by\\b\\s*", " / "),
          new Rewrite("\\s*\\bplus\\b\\s*", " + "),
          new Rewrite("\\s*\\bminus\\b\\s*", " - "),
          new Rewrite("\\*\\*", "^"),
          new Rewrite("(?<=[\\d)])\\s*[x×]\\s*(?=[\\d(])", " * "),
          new Rewrite("÷", " / "),
          new Rewrite("−", "-"));
  private static final Pattern EXPRESSION_RUN =
      Pattern.compile("(?<![\\p{L}\\p{N}.])[-(\\d][\\d.\\s+\\-*/^()]*");
  private static final Pattern EXPRESSION_TOKEN =
      Pattern.compile("\\s*(?:(\\d+(?:\\.\\d+)?|\\.\\d+)|([-+*/^()]))");
  private static final Pattern ISO_DATE = Pattern.compile("\\d{4}-\\d{1,2}-\\d{1,2}");
  private static final Pattern EXPRESSION_FILLER = Pattern.compile("[\\s=?!.,:]*");

  private record Rewrite(Pattern pattern, String replacement) {
    Rewrite(String regex, String replacement) {
      this(Pattern.compile(regex, Pattern.CASE_INSENSITIVE), replacement);
    }

    String apply(String text) {
      return pattern.matcher(text).replaceAll(replacement);
    }
  }

  /** What an expression's previous token was, which decides what may follow it. */
  private enum Last {
    NOTHING,
    NUMBER,
    OPEN,
    CLOSE,
    SIGN,
    OPERATOR;

    boolean expectsOperand() {
      return this != NUMBER && this != CLOSE;
    }
  }

  /** A normalized arithmetic expression and where it sits in the text it was found in. */
  private record Expression(String normalized, int start, int end) {}

  private ArithmeticFinder() {}

  /**
   * The clause's arithmetic expression, normalized, when the clause asks for a calculation (a verb
   * such as "calculate" or "what is") or is nothing but the expression.
   *
   * @param clause a clause without its trailing punctuation
   */
  static Optional<String> find(String clause) {
    String symbolic = clause;
    for (Rewrite rewrite : OPERATOR_WORDS) {
      symbolic = rewrite.apply(symbolic);
    }
    boolean asked = ARITHMETIC_CUE.matcher(symbolic).find();
    Matcher run = EXPRESSION_RUN.matcher(symbolic);
    while (run.find()) {
      if (ISO_DATE.matcher(run.group()).find()) {
        continue;
      }
      Optional<Expression> expression = expression(run.group(), run.start());
      if (expression.isEmpty()) {
        continue;
      }
      Expression found = expression.get();
      String around = symbolic.substring(0, found.start()) + " " + symbolic.substring(found.end());
      if (asked || EXPRESSION_FILLER.matcher(around).matches()) {
        return Optional.of(found.normalized());
      }
      return Optional.empty();
    }
    return Optional.empty();
  }

  /**
   * The longest prefix of {@code run} that is a complete expression with at least one binary
   * operator, formatted as the calculator reads it: binary operators spaced except {@code ^},
   * parentheses tight, implicit multiplication made explicit.
   */
  private static Optional<Expression> expression(String run, int offset) {
    StringBuilder out = new StringBuilder();
    Matcher token = EXPRESSION_TOKEN.matcher(run);
    Last last = Last.NOTHING;
    int depth = 0;
    boolean binary = false;
    String complete = null;
    int completeEnd = 0;
    int position = 0;
    while (position < run.length()) {
      token.region(position, run.length());
      if (!token.lookingAt()) {
        break;
      }
      String number = token.group(1);
      String symbol = token.group(2);
      boolean adjacent = token.start(number != null ? 1 : 2) == position;
      boolean expectOperand = last.expectsOperand();
      if (number != null || "(".equals(symbol)) {
        if (!expectOperand) {
          // Only "(1 + 2)3", "2(3 + 4)" and "(1 + 2)(3 + 4)" multiply implicitly.
          boolean implicit = adjacent && (last == Last.CLOSE || number == null);
          if (!implicit) {
            break;
          }
          out.append(" * ");
          binary = true;
        }
        if (number != null) {
          out.append(number);
          last = Last.NUMBER;
        } else {
          out.append('(');
          depth++;
          last = Last.OPEN;
        }
      } else if (")".equals(symbol)) {
        if (expectOperand || depth == 0) {
          break;
        }
        out.append(')');
        depth--;
        last = Last.CLOSE;
      } else if (expectOperand) {
        if (!"-".equals(symbol) && !"+".equals(symbol)) {
          break;
        }
        if ("-".equals(symbol)) {
          out.append('-');
        }
        last = Last.SIGN;
      } else {
        out.append("^".equals(symbol) ? "^" : " " + symbol + " ");
        binary = true;
        last = Last.OPERATOR;
      }
      position = token.end();
      if (!last.expectsOperand() && depth == 0 && binary) {
        complete = out.toString();
        completeEnd = position;
      }
    }
    return complete == null
        ? Optional.empty()
        : Optional.of(new Expression(complete, offset, offset + completeEnd));
  }
}
