package io.aard.web;

/** Java names to the API's {@code snake_case} names. */
final class JsonNames {

  private JsonNames() {}

  static String snakeCase(String javaName) {
    var out = new StringBuilder(javaName.length() + 4);
    for (char c : javaName.toCharArray()) {
      if (Character.isUpperCase(c)) {
        out.append('_').append(Character.toLowerCase(c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
