package io.aard.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ArithmeticTest {

  private static String calc(String expression) throws ToolException {
    return Arithmetic.calculate(expression);
  }

  private static String error(String expression) {
    return assertThrows(ToolException.class, () -> Arithmetic.calculate(expression)).getMessage();
  }

  @Test
  void multiplicationBindsTighterThanAddition() throws ToolException {
    assertEquals("14", calc("2 + 3 * 4"));
    assertEquals("20", calc("(2 + 3) * 4"));
    assertEquals("1", calc("7 - 12 / 2"));
  }

  @Test
  void subtractionAndDivisionAreLeftAssociative() throws ToolException {
    assertEquals("-4", calc("10 - 8 - 6"));
    assertEquals("2.5", calc("100 / 10 / 4"));
  }

  @Test
  void powersAreRightAssociativeAndBindTighterThanProducts() throws ToolException {
    assertEquals("1024", calc("2^10"));
    assertEquals("512", calc("2^3^2"));
    assertEquals("512", calc("2 ** 3 ** 2"));
    assertEquals("48", calc("3 * 2^4"));
  }

  @Test
  void unaryMinusBindsLooserThanPower() throws ToolException {
    assertEquals("-4", calc("-2^2"));
    assertEquals("4", calc("(-2)^2"));
    assertEquals("-8", calc("(-2)^3"));
  }

  @Test
  void negativeNumbersAndRepeatedSigns() throws ToolException {
    assertEquals("-6", calc("2 * -3"));
    assertEquals("5", calc("2 - -3"));
    assertEquals("-1", calc("--+-1"));
    assertEquals("-3", calc("-(1 + 2)"));
  }

  @Test
  void negativeAndZeroExponents() throws ToolException {
    assertEquals("0.25", calc("2^-2"));
    assertEquals("1", calc("7^0"));
    assertEquals("0.001", calc("10 ^ -3"));
  }

  @Test
  void integralExponentWrittenWithDecimalsIsAccepted() throws ToolException {
    assertEquals("8", calc("2^3.0"));
  }

  @Test
  void decimalArithmeticIsExact() throws ToolException {
    assertEquals("0.3", calc("0.1 + 0.2"));
    assertEquals("2.5", calc("10/4"));
    assertEquals("1", calc("0.1 * 10"));
    assertEquals("0.5", calc(".5"));
    assertEquals("5", calc("5."));
    assertEquals("1.21", calc("1.1^2"));
  }

  @Test
  void resultsHaveNoExponentOrTrailingZeros() throws ToolException {
    assertEquals("1000", calc("10^3"));
    assertEquals("2", calc("1.50 + 0.50"));
    assertEquals("0", calc("1 - 1.000"));
  }

  @Test
  void nonTerminatingQuotientsHave34SignificantDigits() throws ToolException {
    assertEquals("0.3333333333333333333333333333333333", calc("1/3"));
  }

  @Test
  void largeIntegersStayExact() throws ToolException {
    assertEquals("1267650600228229401496703205376", calc("2^100"));
    assertEquals("99999999999999999999999999999999999999", calc("10^38 - 1"));
  }

  @Test
  void unicodeOperatorsAreAccepted() throws ToolException {
    assertEquals("12", calc("3 × 4"));
    assertEquals("2.5", calc("5 ÷ 2"));
    assertEquals("-1", calc("2 − 3"));
  }

  @Test
  void whitespaceIsIgnored() throws ToolException {
    assertEquals("7", calc("  1\t+\n2 *\u00a03 "));
  }

  @Test
  void unknownCharacterIsNamedWithItsPosition() {
    assertEquals("unexpected character 'x' at position 3", error("2 x 3"));
    assertEquals("unexpected character 'a' at position 1", error("abc"));
    assertEquals("unexpected character '=' at position 4", error("2+2="));
  }

  @Test
  void controlCharacterIsNamedByCodePoint() {
    assertEquals("unexpected character U+0007 at position 2", error("1\u00072"));
  }

  @Test
  void characterOutsideTheBasicPlaneIsQuotedWhole() {
    assertEquals("unexpected character '😀' at position 3", error("1+😀"));
  }

  @Test
  void misplacedOperatorIsNamedWithItsPosition() {
    assertEquals("unexpected '*' at position 5: expected a number or '('", error("2 + * 3"));
  }

  @Test
  void twoNumbersInARowAreAnError() {
    assertEquals("unexpected number '3' at position 3: expected an operator", error("2 3"));
    assertEquals(
        "unexpected number '3' at position 4: expected an operator or ')'", error("(2 3)"));
  }

  @Test
  void implicitMultiplicationIsAnError() {
    assertEquals("unexpected '(' at position 2: expected an operator", error("2(3)"));
  }

  @Test
  void divisionByZeroIsAClearError() {
    assertEquals("division by zero at position 3", error("1 / 0"));
    assertEquals("division by zero at position 3", error("1 ÷ (2 - 2)"));
    assertTrue(error("0 ^ -1").startsWith("division by zero"));
  }

  @Test
  void missingClosingParenthesisNamesTheOpeningOne() {
    assertEquals("missing closing parenthesis for '(' at position 5", error("2 * (3 + 4"));
  }

  @Test
  void unmatchedClosingParenthesisIsAnError() {
    assertEquals("unexpected ')' at position 6: no matching '('", error("1 + 2)"));
  }

  @Test
  void emptyParenthesesAreAnError() {
    assertEquals("unexpected ')' at position 2: expected a number or '('", error("()"));
  }

  @Test
  void emptyExpressionIsAnError() {
    assertEquals("empty expression", error(""));
    assertEquals("empty expression", error("   "));
    assertEquals("empty expression", error(null));
  }

  @Test
  void expressionEndingEarlyIsAnError() {
    assertEquals(
        "unexpected end of expression after '+' at position 3: expected a number or '('",
        error("1 +"));
  }

  @Test
  void malformedNumberIsAnError() {
    assertEquals("malformed number '1.2.3' at position 1", error("1.2.3"));
    assertEquals("malformed number '.' at position 3", error("1+."));
  }

  @Test
  void fractionalExponentIsRefused() {
    assertEquals("exponent must be an integer, got 0.5 at position 3", error("4^0.5"));
    assertEquals("exponent must be an integer, got 0.5 at position 4", error("4**(1/2)"));
  }

  @Test
  void hugeExponentIsRefused() {
    assertEquals(
        "exponent 1001 at position 3 is out of range (limit -1000 to 1000)", error("2^1001"));
    assertEquals(
        "exponent -5000 at position 4 is out of range (limit -1000 to 1000)", error("10^-5000"));
  }

  @Test
  void hugeResultIsRefusedBeforeItIsComputed() {
    assertEquals("result too large: more than 10000 digits", error("(10^1000)^1000"));
    assertEquals("result too large: more than 10000 digits", error("(2^1000)^(2^9)"));
  }

  @Test
  void powersOfOneAndZeroAreNotTooLarge() throws ToolException {
    assertEquals("1", calc("1^1000"));
    assertEquals("1", calc("1.000^-1000"));
    assertEquals("0", calc("0^1000"));
    assertEquals("-1", calc("(-1)^999"));
  }

  @Test
  void zeroWithManyDecimalPlacesIsNotTooLarge() throws ToolException {
    assertEquals("0", calc("(0.1^1000 - 0.1^1000)" + " * 0.1^1000".repeat(12)));
  }

  @Test
  void tooLongInputIsRefused() {
    String input = "1+".repeat(600) + "1";
    assertEquals("expression too long: 1201 characters (limit 1000)", error(input));
  }

  @Test
  void inputAtTheLengthLimitIsAccepted() throws ToolException {
    String input = "1+".repeat(499) + "10";
    assertEquals(1000, input.length());
    assertEquals("509", calc(input));
  }

  @Test
  void nestingUpToTheLimitEvaluates() throws ToolException {
    assertEquals("42", calc("(".repeat(100) + "42" + ")".repeat(100)));
    assertEquals("-1", calc("-(".repeat(99) + "1" + ")".repeat(99)));
  }

  @Test
  void exponentTooLargeToQuoteIsAbbreviatedInTheMessage() {
    assertEquals(
        "exponent 1E+3000 at position 3 is out of range (limit -1000 to 1000)",
        error("1^1000^1000"));
  }

  @Test
  void deepNestingIsAClearErrorNotAStackOverflow() {
    String input = "(".repeat(499) + "1" + ")".repeat(499);
    assertEquals(
        "nesting too deep at position 101 (limit 100 levels of parentheses and powers)",
        error(input));
  }

  @Test
  void deepNestingWithoutClosingParenthesesIsAClearError() {
    assertEquals(
        "nesting too deep at position 101 (limit 100 levels of parentheses and powers)",
        error("(".repeat(1000)));
  }

  @Test
  void longChainOfPowersIsBoundedByNesting() {
    String input = "1" + "^1".repeat(400);
    assertEquals(
        "nesting too deep at position 202 (limit 100 levels of parentheses and powers)",
        error(input));
  }

  @Test
  void longChainOfSignsEvaluates() throws ToolException {
    assertEquals("1", calc("-".repeat(998) + "1"));
  }
}
