package io.aard.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads a {@code .env} file as the common conventions have it: {@code KEY=VALUE} lines, blank lines
 * and {@code #} comments, an optional {@code export } prefix, values unquoted (trimmed, a {@code #}
 * after a space starts a comment), in single quotes (literal) or in double quotes ({@code \n},
 * {@code \t}, {@code \"}, {@code \\} escapes). Anything else is a malformed line, reported with the
 * file and line number.
 */
public final class DotEnv {

  /** The file name looked for. */
  public static final String FILE_NAME = ".env";

  private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");

  private DotEnv() {}

  /**
   * The {@code .env} AARD reads: the nearest one from {@code start} (the server's directory)
   * upwards, stopping at the first directory that holds a {@code pom.xml} (the project root, for
   * {@code mvn liberty:run}, whose server lives in {@code target/liberty/...}) or at the root.
   */
  public static Optional<Path> locate(Path start) {
    for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(FILE_NAME);
      if (Files.isRegularFile(candidate)) {
        return Optional.of(candidate);
      }
      if (Files.isRegularFile(dir.resolve("pom.xml"))) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  /** Reads {@code file}; a malformed line throws naming the file and line number. */
  public static Map<String, String> read(Path file) throws IOException {
    return parse(file.toString(), Files.readAllLines(file, StandardCharsets.UTF_8));
  }

  /** Parses the lines of {@code source}; pure, for unit tests. */
  static Map<String, String> parse(String source, List<String> lines) {
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("export ")) {
        line = line.substring("export ".length()).strip();
      }
      int eq = line.indexOf('=');
      String where = source + " line " + (i + 1);
      if (eq < 0) {
        throw new IllegalArgumentException(where + " is not KEY=VALUE: " + line);
      }
      String key = line.substring(0, eq).strip();
      if (!KEY.matcher(key).matches()) {
        throw new IllegalArgumentException(where + " has an invalid key: " + key);
      }
      values.put(key, value(line.substring(eq + 1).strip(), where));
    }
    return values;
  }

  private static String value(String raw, String where) {
    if (raw.isEmpty()) {
      return "";
    }
    char quote = raw.charAt(0);
    if (quote != '"' && quote != '\'') {
      int comment = raw.indexOf(" #");
      return (comment < 0 ? raw : raw.substring(0, comment)).strip();
    }
    StringBuilder value = new StringBuilder();
    int i = 1;
    for (; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == quote) {
        break;
      }
      if (quote == '"' && c == '\\' && i + 1 < raw.length()) {
        char next = raw.charAt(++i);
        value.append(
            switch (next) {
              case 'n' -> '\n';
              case 't' -> '\t';
              case 'r' -> '\r';
              default -> next;
            });
      } else {
        value.append(c);
      }
    }
    if (i >= raw.length()) {
      throw new IllegalArgumentException(where + " has an unterminated " + quote + " quote");
    }
    String rest = raw.substring(i + 1).strip();
    if (!rest.isEmpty() && !rest.startsWith("#")) {
      throw new IllegalArgumentException(where + " has text after the closing quote: " + rest);
    }
    return value.toString();
  }
}
