package io.aard.web;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds the name of an unknown request field in a JSON-B failure, to name it in the 400. */
final class UnknownField {

  /** Yasson: "Unknown properties were detected: id, status" or "Unknown property 'id'". */
  private static final Pattern UNKNOWN =
      Pattern.compile("Unknown propert(?:y|ies)[^:']*(?::\\s*|')([A-Za-z0-9_.$-]+)");

  private UnknownField() {}

  static String in(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t.getMessage() != null) {
        Matcher m = UNKNOWN.matcher(t.getMessage());
        if (m.find()) {
          return m.group(1);
        }
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }
}
