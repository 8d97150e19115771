package io.aard.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DatabaseEndpointTest {

  @Test
  void hostPortAndDatabaseComeFromTheUrl() {
    assertEquals(
        new DatabaseEndpoint("127.0.0.1", 5432, "aard"),
        DatabaseEndpoint.fromUrl("jdbc:postgresql://127.0.0.1:5432/aard?ApplicationName=aard"));
    assertEquals(
        new DatabaseEndpoint("db.example", 5432, "aard"),
        DatabaseEndpoint.fromUrl("jdbc:postgresql://db.example/aard"));
    assertEquals(
        new DatabaseEndpoint("::1", 6543, "x"),
        DatabaseEndpoint.fromUrl("jdbc:postgresql://[::1]:6543/x"));
    assertEquals(
        new DatabaseEndpoint("a", 5433, "x"),
        DatabaseEndpoint.fromUrl("jdbc:postgresql://a:5433,b:5434/x"));
  }

  @Test
  void anythingElseIsUnknown() {
    assertEquals(DatabaseEndpoint.UNKNOWN, DatabaseEndpoint.fromUrl(null));
    assertEquals(DatabaseEndpoint.UNKNOWN, DatabaseEndpoint.fromUrl("jdbc:h2:mem:x"));
  }
}
