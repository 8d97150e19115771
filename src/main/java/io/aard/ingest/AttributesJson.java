package io.aard.ingest;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import java.util.List;

/**
 * Writes span attributes as JSON text. Hand-written because it runs for every span on the export
 * path, where a general-purpose binder would cost more CPU than the database insert.
 */
final class AttributesJson {

  private AttributesJson() {}

  /** The attributes as a JSON object, each value with its own JSON type. */
  static String object(Attributes attributes) {
    StringBuilder out = new StringBuilder(64 + attributes.size() * 48);
    appendObject(out, attributes);
    return out.toString();
  }

  static void appendObject(StringBuilder out, Attributes attributes) {
    out.append('{');
    boolean[] first = {true};
    attributes.forEach(
        (key, value) -> {
          if (!first[0]) {
            out.append(',');
          }
          first[0] = false;
          appendString(out, key.getKey());
          out.append(':');
          appendValue(out, key, value);
        });
    out.append('}');
  }

  private static void appendValue(StringBuilder out, AttributeKey<?> key, Object value) {
    switch (key.getType()) {
      case STRING -> appendString(out, (String) value);
      case BOOLEAN, LONG -> out.append(value);
      case DOUBLE -> appendDouble(out, (Double) value);
      case STRING_ARRAY, BOOLEAN_ARRAY, LONG_ARRAY, DOUBLE_ARRAY -> {
        out.append('[');
        List<?> items = (List<?>) value;
        for (int i = 0; i < items.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          Object item = items.get(i);
          if (item instanceof String s) {
            appendString(out, s);
          } else if (item instanceof Double d) {
            appendDouble(out, d);
          } else {
            out.append(item);
          }
        }
        out.append(']');
      }
      default -> appendString(out, String.valueOf(value));
    }
  }

  private static void appendDouble(StringBuilder out, double value) {
    if (Double.isFinite(value)) {
      out.append(value);
    } else {
      appendString(out, Double.toString(value));
    }
  }

  /** Appends a JSON string literal; PostgreSQL's jsonb refuses \u0000, so it becomes U+FFFD. */
  static void appendString(StringBuilder out, String value) {
    out.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\u0000' -> out.append('\ufffd');
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
