package io.aard.security;

import java.util.Locale;

/** What an API key lets its holder do. */
public enum Role {
  /** May read: {@code GET} (and {@code HEAD}, {@code OPTIONS}) on everything under {@code /api}. */
  READER,
  /** May also create tasks, plan and execute: every method under {@code /api}. */
  OPERATOR;

  /** The name used in {@code AARD_API_KEYS}. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether this role may send a request with {@code method}. */
  public boolean permits(String method) {
    return this == OPERATOR || isRead(method);
  }

  /** Methods that change nothing; a reader may send them. */
  static boolean isRead(String method) {
    return switch (method.toUpperCase(Locale.ROOT)) {
      case "GET", "HEAD", "OPTIONS" -> true;
      default -> false;
    };
  }
}
