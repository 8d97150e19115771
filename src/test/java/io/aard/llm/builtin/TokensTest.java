package io.aard.llm.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TokensTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "''                                  | 0",
        "hello                               | 1",
        "Hello, world!                       | 4",
        "don't stop at 3.5 or example.com    | 6",
        "(17.5 + 24.5) * 3                   | 7",
      })
  void tokensAreWordsAndPunctuationMarks(String text, long tokens) {
    assertEquals(tokens, Tokens.count(text));
  }

  @Test
  void nullHasNoTokens() {
    assertEquals(0, Tokens.count(null));
  }
}
