package io.aard.tracing;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a database span says about one SQL statement, after OpenTelemetry's database conventions:
 * the text with every literal value replaced by {@code ?}, the operation ({@code SELECT}, {@code
 * INSERT}, ...) and the first table it works on. Pure and cheap: a single pass over the text, no
 * SQL grammar, so an unusual statement yields a span without an operation or table rather than an
 * error.
 *
 * @param text the statement with literal values replaced by {@code ?} and comments removed
 * @param operation the operation in upper case, e.g. {@code SELECT}; {@code null} if not found
 * @param collection the first table, as written (schema included), or {@code null}
 */
public record SqlStatement(String text, String operation, String collection) {

  /** Longest operation name kept: a first word longer than any SQL keyword is not one. */
  private static final int MAX_OPERATION = 32;

  /** Parses a statement as the driver receives it (bound parameters are {@code ?} already). */
  public static SqlStatement parse(String sql) {
    String text = sanitize(sql == null ? "" : sql);
    List<String> tokens = tokens(text);
    int pos = 0;
    Set<String> withNames = new HashSet<>();
    if (pos < tokens.size() && isKeyword(tokens.get(pos), "WITH")) {
      pos = skipWith(tokens, pos + 1, withNames);
    }
    if (pos >= tokens.size() || !isWord(tokens.get(pos))) {
      return new SqlStatement(text, null, null);
    }
    String operation = tokens.get(pos).toUpperCase(Locale.ROOT);
    if (operation.length() > MAX_OPERATION || operation.contains(".")) {
      return new SqlStatement(text, null, null);
    }
    String collection =
        switch (operation) {
          case "SELECT" -> afterTopLevel(tokens, pos + 1, "FROM");
          case "INSERT", "MERGE" -> afterTopLevel(tokens, pos + 1, "INTO");
          case "DELETE" -> afterTopLevel(tokens, pos + 1, "FROM");
          case "UPDATE" -> table(tokens, pos + 1);
          default -> null;
        };
    if (collection != null && withNames.contains(collection.toLowerCase(Locale.ROOT))) {
      collection = null; // a name of the WITH clause, not a table
    }
    return new SqlStatement(text, operation, collection);
  }

  /**
   * The span name of the conventions: {@code {operation} {table}}, the database name standing in
   * for a missing table, {@code postgresql} when not even the operation is known.
   */
  public String spanName(String namespace) {
    String target = collection != null ? collection : namespace;
    if (operation == null) {
      return target != null ? target : "postgresql";
    }
    return target != null ? operation + " " + target : operation;
  }

  /**
   * The statement with string, dollar-quoted and numeric literals replaced by {@code ?} and
   * comments removed (a comment may quote a value too). Identifiers, quoted ones included, keywords
   * and placeholders ({@code ?}, {@code $1}) stay.
   */
  static String sanitize(String sql) {
    StringBuilder out = new StringBuilder(sql.length());
    int n = sql.length();
    int i = 0;
    while (i < n) {
      char c = sql.charAt(i);
      if (c == '\'') {
        i = skipString(sql, i, false);
        out.append('?');
      } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        while (i < n && sql.charAt(i) != '\n') {
          i++;
        }
        out.append(' ');
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        int end = sql.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 2;
        out.append(' ');
      } else if (c == '"') {
        int start = i;
        i = skipQuoted(sql, i, '"');
        out.append(sql, start, i);
      } else if (c == '$') {
        int start = i;
        int j = i + 1;
        if (j < n && Character.isDigit(sql.charAt(j))) {
          while (j < n && Character.isDigit(sql.charAt(j))) {
            j++;
          }
          out.append(sql, start, j); // a positional parameter, $1
          i = j;
          continue;
        }
        while (j < n && isIdentifierPart(sql.charAt(j)) && sql.charAt(j) != '$') {
          j++;
        }
        if (j < n && sql.charAt(j) == '$') {
          String tag = sql.substring(i, j + 1);
          int end = sql.indexOf(tag, j + 1);
          i = end < 0 ? n : end + tag.length();
          out.append('?');
        } else {
          out.append(c);
          i++;
        }
      } else if (Character.isDigit(c)
          || (c == '.' && i + 1 < n && Character.isDigit(sql.charAt(i + 1)))) {
        i = skipNumber(sql, i);
        out.append('?');
      } else if (isIdentifierStart(c)) {
        int start = i;
        while (i < n && isIdentifierPart(sql.charAt(i))) {
          i++;
        }
        boolean prefix = i - start == 1 && "EeXxBbNn".indexOf(c) >= 0;
        if (prefix && i < n && sql.charAt(i) == '\'') {
          // E'...' (backslash escapes), X'..', B'..', N'..': the prefix belongs to the literal
          i = skipString(sql, i, c == 'E' || c == 'e');
          out.append('?');
        } else {
          out.append(sql, start, i);
        }
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  private static int skipString(String sql, int quote, boolean backslashEscapes) {
    int n = sql.length();
    int i = quote + 1;
    while (i < n) {
      char c = sql.charAt(i);
      if (backslashEscapes && c == '\\') {
        i += 2;
      } else if (c == '\'') {
        if (i + 1 < n && sql.charAt(i + 1) == '\'') {
          i += 2;
        } else {
          return i + 1;
        }
      } else {
        i++;
      }
    }
    return n;
  }

  private static int skipQuoted(String sql, int quote, char q) {
    int n = sql.length();
    int i = quote + 1;
    while (i < n) {
      if (sql.charAt(i) == q) {
        if (i + 1 < n && sql.charAt(i + 1) == q) {
          i += 2;
        } else {
          return i + 1;
        }
      } else {
        i++;
      }
    }
    return n;
  }

  private static int skipNumber(String sql, int i) {
    int n = sql.length();
    if (sql.startsWith("0x", i) || sql.startsWith("0X", i)) {
      i += 2;
      while (i < n && Character.digit(sql.charAt(i), 16) >= 0) {
        i++;
      }
      return i;
    }
    while (i < n && (Character.isDigit(sql.charAt(i)) || sql.charAt(i) == '.')) {
      i++;
    }
    if (i < n && (sql.charAt(i) == 'e' || sql.charAt(i) == 'E')) {
      int j = i + 1;
      if (j < n && (sql.charAt(j) == '+' || sql.charAt(j) == '-')) {
        j++;
      }
      if (j < n && Character.isDigit(sql.charAt(j))) {
        i = j;
        while (i < n && Character.isDigit(sql.charAt(i))) {
          i++;
        }
      }
    }
    return i;
  }

  private static boolean isIdentifierStart(char c) {
    return Character.isLetter(c) || c == '_';
  }

  private static boolean isIdentifierPart(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '$';
  }

  /**
   * Words (identifiers and keywords, a dotted and quoted name as one word), parentheses and commas;
   * everything else is dropped.
   */
  private static List<String> tokens(String text) {
    List<String> tokens = new ArrayList<>();
    int n = text.length();
    int i = 0;
    while (i < n) {
      char c = text.charAt(i);
      if (c == '(' || c == ')' || c == ',') {
        tokens.add(String.valueOf(c));
        i++;
      } else if (isIdentifierStart(c) || c == '"') {
        int start = i;
        while (i < n) {
          char d = text.charAt(i);
          if (d == '"') {
            i = skipQuoted(text, i, '"');
          } else if (isIdentifierPart(d) || d == '.') {
            i++;
          } else {
            break;
          }
        }
        tokens.add(text.substring(start, i));
      } else {
        i++;
      }
    }
    return tokens;
  }

  /** Skips {@code name [(columns)] AS [NOT] [MATERIALIZED] (query), ...}; returns the next. */
  private static int skipWith(List<String> tokens, int pos, Set<String> names) {
    if (pos < tokens.size() && isKeyword(tokens.get(pos), "RECURSIVE")) {
      pos++;
    }
    while (pos < tokens.size()) {
      names.add(tokens.get(pos).toLowerCase(Locale.ROOT));
      pos++;
      while (pos < tokens.size() && !isKeyword(tokens.get(pos), "AS")) {
        pos = tokens.get(pos).equals("(") ? skipParentheses(tokens, pos) : pos + 1;
      }
      pos++; // AS
      while (pos < tokens.size() && !tokens.get(pos).equals("(")) {
        pos++; // NOT MATERIALIZED
      }
      pos = skipParentheses(tokens, pos);
      if (pos < tokens.size() && tokens.get(pos).equals(",")) {
        pos++;
      } else {
        return pos;
      }
    }
    return pos;
  }

  private static int skipParentheses(List<String> tokens, int open) {
    int depth = 0;
    for (int i = open; i < tokens.size(); i++) {
      String token = tokens.get(i);
      if (token.equals("(")) {
        depth++;
      } else if (token.equals(")") && --depth == 0) {
        return i + 1;
      }
    }
    return tokens.size();
  }

  /** The table after the first {@code keyword} outside parentheses. */
  private static String afterTopLevel(List<String> tokens, int pos, String keyword) {
    int depth = 0;
    for (int i = pos; i < tokens.size(); i++) {
      String token = tokens.get(i);
      if (token.equals("(")) {
        depth++;
      } else if (token.equals(")")) {
        depth--;
      } else if (depth == 0 && isKeyword(token, keyword)) {
        return table(tokens, i + 1);
      }
    }
    return null;
  }

  private static String table(List<String> tokens, int pos) {
    if (pos < tokens.size() && isKeyword(tokens.get(pos), "ONLY")) {
      pos++;
    }
    if (pos >= tokens.size() || !isWord(tokens.get(pos))) {
      return null; // a subquery or a function, not a table
    }
    String name = tokens.get(pos);
    return isKeyword(name, "LATERAL") ? null : name;
  }

  private static boolean isWord(String token) {
    char c = token.charAt(0);
    return isIdentifierStart(c) || c == '"';
  }

  private static boolean isKeyword(String token, String keyword) {
    return token.equalsIgnoreCase(keyword);
  }
}
