package io.aard.tool;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * Exact decimal arithmetic over a small expression language, parsed by recursive descent so that no
 * script engine (and none of its reach) is involved.
 *
 * <p>Grammar, loosest binding first:
 *
 * <pre>
 * expression = term { ("+" | "-") term }
 * term       = unary { ("*" | "/") unary }
 * unary      = { "+" | "-" } power
 * power      = primary [ ("^" | "**") unary ]      (right-associative: 2^3^2 = 2^9)
 * primary    = number | "(" expression ")"
 * number     = digits [ "." [ digits ] ] | "." digits
 * </pre>
 *
 * <p>{@code ×}, {@code ÷} and the Unicode minus {@code −} are accepted for {@code *}, {@code /} and
 * {@code -}. A unary minus binds looser than a power, as in mathematics: {@code -2^2 = -4}. Sums,
 * differences, products and integer powers are exact; quotients (and negative powers) are rounded
 * to 34 significant digits ({@link MathContext#DECIMAL128}). Positions in error messages count
 * characters from 1.
 */
final class Arithmetic {

  /** Longest expression accepted, in characters. */
  static final int MAX_LENGTH = 1000;

  /** Deepest nesting of parentheses and powers; keeps the recursion far from the stack limit. */
  static final int MAX_DEPTH = 100;

  /** Largest absolute exponent of a power. */
  static final int MAX_EXPONENT = 1000;

  /** Largest number of digits any intermediate or final result may have. */
  static final int MAX_DIGITS = 10_000;

  private static final BigDecimal MAX_EXPONENT_VALUE = BigDecimal.valueOf(MAX_EXPONENT);

  private enum Kind {
    NUMBER,
    PLUS,
    MINUS,
    TIMES,
    DIVIDE,
    POWER,
    OPEN,
    CLOSE,
    END
  }

  private record Token(Kind kind, String text, int position, BigDecimal value) {

    String describe() {
      return switch (kind) {
        case END -> "end of expression";
        case NUMBER -> "number '" + text + "'";
        default -> "'" + text + "'";
      };
    }
  }

  private final String source;
  private int next;
  private int depth;
  private Token current;
  private Token previous;

  private Arithmetic(String source) {
    this.source = source;
  }

  /**
   * Evaluates an expression and formats the result without exponent or trailing zeros ({@code
   * 0.1+0.2} gives {@code 0.3}, {@code 10/4} gives {@code 2.5}).
   *
   * @throws ToolException naming the position and the offending character or token when the
   *     expression is malformed, too long, nested too deeply, divides by zero or grows too large
   */
  static String calculate(String expression) throws ToolException {
    return format(evaluate(expression));
  }

  /** Evaluates an expression; see {@link #calculate(String)} for the errors. */
  static BigDecimal evaluate(String expression) throws ToolException {
    if (expression != null && expression.length() > MAX_LENGTH) {
      throw new ToolException(
          "expression too long: " + expression.length() + " characters (limit " + MAX_LENGTH + ")");
    }
    if (expression == null || expression.isBlank()) {
      throw new ToolException("empty expression");
    }
    Arithmetic parser = new Arithmetic(expression);
    parser.advance();
    BigDecimal value = parser.expression();
    if (parser.current.kind() != Kind.END) {
      throw parser.unexpected(
          parser.current.kind() == Kind.CLOSE ? "no matching '('" : "expected an operator");
    }
    return value;
  }

  /** The plain-notation form of a result: no exponent, no trailing zeros. */
  static String format(BigDecimal value) {
    return value.stripTrailingZeros().toPlainString();
  }

  private BigDecimal expression() throws ToolException {
    BigDecimal value = term();
    while (current.kind() == Kind.PLUS || current.kind() == Kind.MINUS) {
      boolean add = current.kind() == Kind.PLUS;
      advance();
      BigDecimal right = term();
      value = bounded(add ? value.add(right) : value.subtract(right));
    }
    return value;
  }

  private BigDecimal term() throws ToolException {
    BigDecimal value = unary();
    while (current.kind() == Kind.TIMES || current.kind() == Kind.DIVIDE) {
      Token operator = current;
      advance();
      BigDecimal right = unary();
      if (operator.kind() == Kind.TIMES) {
        value = bounded(value.multiply(right));
      } else {
        if (right.signum() == 0) {
          throw new ToolException("division by zero at position " + operator.position());
        }
        value = bounded(value.divide(right, MathContext.DECIMAL128));
      }
    }
    return value;
  }

  private BigDecimal unary() throws ToolException {
    boolean negative = false;
    while (current.kind() == Kind.PLUS || current.kind() == Kind.MINUS) {
      negative ^= current.kind() == Kind.MINUS;
      advance();
    }
    BigDecimal value = power();
    return negative ? value.negate() : value;
  }

  private BigDecimal power() throws ToolException {
    BigDecimal base = primary();
    if (current.kind() != Kind.POWER) {
      return base;
    }
    Token operator = current;
    enter(operator);
    advance();
    int exponentPosition = current.position();
    BigDecimal exponent = unary();
    depth--;
    return raise(base, exponent, operator.position(), exponentPosition);
  }

  private BigDecimal primary() throws ToolException {
    Token token = current;
    switch (token.kind()) {
      case NUMBER:
        advance();
        return token.value();
      case OPEN:
        enter(token);
        advance();
        BigDecimal value = expression();
        depth--;
        if (current.kind() == Kind.END) {
          throw new ToolException(
              "missing closing parenthesis for '(' at position " + token.position());
        }
        if (current.kind() != Kind.CLOSE) {
          throw unexpected("expected an operator or ')'");
        }
        advance();
        return value;
      case END:
        throw new ToolException(
            "unexpected end of expression after "
                + previous.describe()
                + " at position "
                + previous.position()
                + ": expected a number or '('");
      default:
        throw unexpected("expected a number or '('");
    }
  }

  // Parentheses and powers are the only recursion (signs are counted in a loop), so bounding
  // their nesting bounds the stack depth. An error abandons the parse, so no unwinding is needed.
  private void enter(Token token) throws ToolException {
    if (++depth > MAX_DEPTH) {
      throw new ToolException(
          "nesting too deep at position "
              + token.position()
              + " (limit "
              + MAX_DEPTH
              + " levels of parentheses and powers)");
    }
  }

  private static BigDecimal raise(
      BigDecimal base, BigDecimal exponent, int operatorPosition, int exponentPosition)
      throws ToolException {
    if (exponent.signum() != 0 && exponent.stripTrailingZeros().scale() > 0) {
      throw new ToolException(
          "exponent must be an integer, got "
              + brief(exponent)
              + " at position "
              + exponentPosition);
    }
    if (exponent.abs().compareTo(MAX_EXPONENT_VALUE) > 0) {
      throw new ToolException(
          "exponent "
              + brief(exponent)
              + " at position "
              + exponentPosition
              + " is out of range (limit -"
              + MAX_EXPONENT
              + " to "
              + MAX_EXPONENT
              + ")");
    }
    int n = exponent.intValueExact();
    BigDecimal stripped = base.stripTrailingZeros();
    // base^n has at most n * (precision + |scale|) digits in plain notation: refuse before
    // spending time and memory on a number nobody can read.
    long estimate = (long) Math.abs(n) * (stripped.precision() + Math.abs(stripped.scale()));
    if (stripped.signum() != 0
        && stripped.abs().compareTo(BigDecimal.ONE) != 0
        && estimate > MAX_DIGITS) {
      throw tooLarge();
    }
    if (n >= 0) {
      return bounded(stripped.pow(n));
    }
    if (stripped.signum() == 0) {
      throw new ToolException(
          "division by zero at position " + operatorPosition + ": zero raised to a negative power");
    }
    return bounded(BigDecimal.ONE.divide(stripped.pow(-n), MathContext.DECIMAL128));
  }

  // A number short enough to quote in a message: 1E+3000 rather than three thousand digits.
  private static String brief(BigDecimal value) {
    String plain = format(value);
    return plain.length() <= 20
        ? plain
        : value.round(new MathContext(6)).stripTrailingZeros().toString();
  }

  private static BigDecimal bounded(BigDecimal value) throws ToolException {
    if (value.signum() == 0) {
      return BigDecimal.ZERO; // 0E-5000 is still zero, not a 5000-digit number
    }
    int precision = value.precision();
    int scale = value.scale();
    long digits = scale <= 0 ? (long) precision - scale : Math.max(precision, (long) scale);
    if (digits > MAX_DIGITS) {
      throw tooLarge();
    }
    return value;
  }

  private static ToolException tooLarge() {
    return new ToolException("result too large: more than " + MAX_DIGITS + " digits");
  }

  private ToolException unexpected(String expectation) {
    return new ToolException(
        "unexpected "
            + current.describe()
            + " at position "
            + current.position()
            + ": "
            + expectation);
  }

  private void advance() throws ToolException {
    previous = current;
    while (next < source.length() && isSpace(source.charAt(next))) {
      next++;
    }
    int start = next;
    if (start >= source.length()) {
      current = new Token(Kind.END, "", position(start), null);
      return;
    }
    int c = source.codePointAt(start);
    if (isDigit(c) || c == '.') {
      current = number(start);
      return;
    }
    Kind kind;
    switch (c) {
      case '+' -> kind = Kind.PLUS;
      case '-', '\u2212' -> kind = Kind.MINUS;
      case '*' -> kind = startsWith(start + 1, '*') ? Kind.POWER : Kind.TIMES;
      case '\u00d7' -> kind = Kind.TIMES;
      case '/', '\u00f7' -> kind = Kind.DIVIDE;
      case '^' -> kind = Kind.POWER;
      case '(' -> kind = Kind.OPEN;
      case ')' -> kind = Kind.CLOSE;
      default ->
          throw new ToolException(
              "unexpected character " + describeCharacter(c) + " at position " + position(start));
    }
    next = start + (kind == Kind.POWER && c == '*' ? 2 : Character.charCount(c));
    current = new Token(kind, source.substring(start, next), position(start), null);
  }

  private Token number(int start) throws ToolException {
    int end = start;
    int dots = 0;
    boolean digits = false;
    while (end < source.length() && (isDigit(source.charAt(end)) || source.charAt(end) == '.')) {
      if (source.charAt(end) == '.') {
        dots++;
      } else {
        digits = true;
      }
      end++;
    }
    String text = source.substring(start, end);
    if (dots > 1 || !digits) {
      throw new ToolException("malformed number '" + text + "' at position " + position(start));
    }
    next = end;
    return new Token(Kind.NUMBER, text, position(start), new BigDecimal(text));
  }

  private boolean startsWith(int index, char c) {
    return index < source.length() && source.charAt(index) == c;
  }

  private static boolean isSpace(char c) {
    return Character.isWhitespace(c) || Character.isSpaceChar(c);
  }

  private static boolean isDigit(int c) {
    return c >= '0' && c <= '9';
  }

  // Counts code points, so a character outside the BMP before the error does not shift it.
  private int position(int index) {
    return source.codePointCount(0, index) + 1;
  }

  private static String describeCharacter(int c) {
    if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
      return String.format("U+%04X", c);
    }
    return "'" + new String(Character.toChars(c)) + "'";
  }
}
