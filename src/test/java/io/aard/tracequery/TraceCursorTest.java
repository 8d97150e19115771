package io.aard.tracequery;

import static io.aard.tracequery.TraceParamsTest.assertBadRequest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class TraceCursorTest {

  private static final TraceCursor.Position POSITION =
      new TraceCursor.Position(
          Instant.parse("2026-10-31T23:59:59.999999Z"), "0af7651916cd43dd8448eb211c80319c");

  @Test
  void positionSurvivesTheRoundTripToTheMicrosecond() {
    String cursor = TraceCursor.encode(POSITION, "search");
    assertEquals(POSITION, TraceCursor.decode(cursor, "search"));
  }

  @Test
  void cursorIsUrlSafe() {
    String cursor = TraceCursor.encode(POSITION, "search");
    assertTrue(cursor.matches("[A-Za-z0-9_-]+"), cursor);
  }

  @Test
  void everyChangedCharacterIsRefused() {
    String cursor = TraceCursor.encode(POSITION, "search");
    // Every other character at every place, the last one's unused low bits included.
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (int i = 0; i < cursor.length(); i++) {
      for (char c : alphabet.toCharArray()) {
        if (c != cursor.charAt(i)) {
          String tampered = cursor.substring(0, i) + c + cursor.substring(i + 1);
          assertBadRequest("cursor", () -> TraceCursor.decode(tampered, "search"));
        }
      }
    }
  }

  @Test
  void truncatedExtendedOrGarbageCursorIsRefused() {
    String cursor = TraceCursor.encode(POSITION, "search");
    List<String> bad =
        List.of(
            cursor.substring(0, cursor.length() - 1),
            cursor + "A",
            "not a cursor",
            "%%%",
            Base64.getUrlEncoder().encodeToString(new byte[41]));
    for (String b : bad) {
      assertBadRequest("cursor", () -> TraceCursor.decode(b, "search"));
    }
  }

  @Test
  void cursorOfAnotherSearchIsRefused() {
    String cursor = TraceCursor.encode(POSITION, "status=ERROR");
    assertBadRequest("cursor", () -> TraceCursor.decode(cursor, "status=OK"));
  }

  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final TraceCursor.SpanPosition SPAN =
      new TraceCursor.SpanPosition(
          Instant.parse("2026-10-31T23:59:59.999999Z"), "00f067aa0ba902b7");

  @Test
  void spanPositionSurvivesTheRoundTripToTheMicrosecond() {
    String cursor = TraceCursor.encodeSpan(SPAN, TRACE);
    assertTrue(cursor.matches("[A-Za-z0-9_-]+"), cursor);
    assertEquals(SPAN, TraceCursor.decodeSpan(cursor, TRACE));
  }

  @Test
  void spanCursorOfAnotherTraceIsRefused() {
    String cursor = TraceCursor.encodeSpan(SPAN, TRACE);
    assertBadRequest(
        "cursor", () -> TraceCursor.decodeSpan(cursor, "0af7651916cd43dd8448eb211c80319c"));
  }

  @Test
  void searchAndSpanCursorsAreNotInterchangeable() {
    String spans = TraceCursor.encodeSpan(SPAN, TRACE);
    String search = TraceCursor.encode(POSITION, TRACE);
    assertBadRequest("cursor", () -> TraceCursor.decode(spans, TRACE));
    assertBadRequest("cursor", () -> TraceCursor.decodeSpan(search, TRACE));
  }

  @Test
  void everyChangedCharacterOfASpanCursorIsRefused() {
    String cursor = TraceCursor.encodeSpan(SPAN, TRACE);
    for (int i = 0; i < cursor.length(); i++) {
      char c = cursor.charAt(i);
      String tampered = cursor.substring(0, i) + (c == 'A' ? 'B' : 'A') + cursor.substring(i + 1);
      assertBadRequest("cursor", () -> TraceCursor.decodeSpan(tampered, TRACE));
    }
  }
}
