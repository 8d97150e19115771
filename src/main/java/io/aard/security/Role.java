package io.aard.security;

import java.util.Locale;

/** What an API key lets its holder do. */
public enum Role {
  /** May read: {@code GET} (and {@code HEAD}, {@code OPTIONS}) on everything under {@code /api}. */
  READER,
  /** May also create tasks, plan and execute: every method under {@code /api}. */
  OPERATOR,
  /**
   * May only send spans by OTLP ({@code POST /v1/traces}): the key an agent fleet's SDKs and
   * Collectors carry, which reads nothing and changes nothing under {@code /api}.
   */
  INGEST;

  /** The name used in {@code AARD_API_KEYS}. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether this role may send a request with {@code method}. */
  public boolean permits(String method) {
    return this == OPERATOR || (this == READER && isRead(method));
  }

  /** Whether this role may send spans to {@code POST /v1/traces}: operator and ingest keys. */
  public boolean permitsIngest() {
    return this != READER;
  }

  /** Methods that change nothing; a reader may send them. */
  static boolean isRead(String method) {
    return switch (method.toUpperCase(Locale.ROOT)) {
      case "GET", "HEAD", "OPTIONS" -> true;
      default -> false;
    };
  }
}
