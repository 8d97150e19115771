package io.aard.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ApiKeysTest {

  private static final String READER_KEY = "reader-key-0123456789";
  private static final String OPERATOR_KEY = "operator+key/0123456789=";

  private static final ApiKeys KEYS =
      ApiKeys.parse(" reader:" + READER_KEY + " , OPERATOR : " + OPERATOR_KEY + ",");

  private static String rejection(String configured) {
    return assertThrows(IllegalArgumentException.class, () -> ApiKeys.parse(configured))
        .getMessage();
  }

  @Test
  void eachKeyHasItsRole() {
    assertEquals(Optional.of(Role.READER), KEYS.roleOf(READER_KEY));
    assertEquals(Optional.of(Role.OPERATOR), KEYS.roleOf(OPERATOR_KEY));
  }

  @Test
  void unknownEmptyOrNearlyRightKeyHasNoRole() {
    assertEquals(Optional.empty(), KEYS.roleOf("reader-key-0123456788"));
    assertEquals(Optional.empty(), KEYS.roleOf(READER_KEY + "x"));
    assertEquals(Optional.empty(), KEYS.roleOf(READER_KEY.toUpperCase()));
    assertEquals(Optional.empty(), KEYS.roleOf(""));
    assertEquals(Optional.empty(), KEYS.roleOf(null));
  }

  @Test
  void aRoleMayHaveSeveralKeysForRotation() {
    ApiKeys keys = ApiKeys.parse("operator:old-operator-key-0001,operator:new-operator-key-0002");
    assertEquals(Optional.of(Role.OPERATOR), keys.roleOf("old-operator-key-0001"));
    assertEquals(Optional.of(Role.OPERATOR), keys.roleOf("new-operator-key-0002"));
    assertEquals(Map.of(Role.READER, 0, Role.OPERATOR, 2, Role.INGEST, 0), keys.counts());
  }

  @Test
  void unsetOrBlankLeavesTheApiOpen() {
    assertTrue(ApiKeys.parse(null).isEmpty());
    assertTrue(ApiKeys.parse("").isEmpty());
    assertTrue(ApiKeys.parse("  ,  ").isEmpty());
    assertFalse(KEYS.isEmpty());
  }

  @Test
  void malformedEntriesAreRejectedNamingTheKeyAndThePositionButNeverTheValue() {
    Map<String, String> cases =
        Map.of(
            "reader:" + READER_KEY + ",just-a-secret-key-0001",
            "entry 2 is not accepted: it has no ':' between role and key",
            "admin:" + READER_KEY,
            "entry 1 is not accepted: its role is not reader, operator or ingest",
            "short-secret-key-0001:reader",
            "entry 1 is not accepted: its role is not reader, operator or ingest",
            "reader:short-secret",
            "entry 1 is not accepted: its key has 12 characters, not 16 to 256",
            "reader:" + "k".repeat(257),
            "entry 1 is not accepted: its key has 257 characters, not 16 to 256",
            "reader:secret key with spaces",
            "entry 1 is not accepted: its key holds a character that is not accepted",
            "reader:" + READER_KEY + ",operator:" + READER_KEY,
            "entry 2 is not accepted: it repeats the key of entry 1");
    cases.forEach(
        (configured, expected) -> {
          String message = rejection(configured);
          assertTrue(message.startsWith("AARD_API_KEYS: " + expected), message);
          assertTrue(message.contains("expected a comma list of role:key"), message);
          for (String secret :
              List.of(READER_KEY, "just-a-secret", "short-secret", "secret key", "kkkkkkkk")) {
            assertFalse(message.contains(secret), message);
          }
        });
  }

  @Test
  void ingestMayOnlySendSpans() {
    for (String method : List.of("GET", "HEAD", "OPTIONS", "POST", "PUT", "DELETE")) {
      assertFalse(Role.INGEST.permits(method), method);
    }
    assertTrue(Role.INGEST.permitsIngest());
    assertTrue(Role.OPERATOR.permitsIngest());
    assertFalse(Role.READER.permitsIngest());
    ApiKeys keys = ApiKeys.parse("ingest:" + READER_KEY);
    assertEquals(Optional.of(Role.INGEST), keys.roleOf(READER_KEY));
  }

  @Test
  void readerMayOnlyReadAndOperatorMayDoEverything() {
    for (String method : List.of("GET", "HEAD", "OPTIONS", "get")) {
      assertTrue(Role.READER.permits(method), method);
      assertTrue(Role.OPERATOR.permits(method), method);
    }
    for (String method : List.of("POST", "PUT", "PATCH", "DELETE")) {
      assertFalse(Role.READER.permits(method), method);
      assertTrue(Role.OPERATOR.permits(method), method);
    }
  }

  @Test
  void bearerTokenIsTakenFromTheAuthorizationHeader() {
    assertEquals("abc", ApiKeyFilter.bearerToken("Bearer abc"));
    assertEquals("abc", ApiKeyFilter.bearerToken("bearer   abc  "));
    assertEquals("abc", ApiKeyFilter.bearerToken("BEARER abc"));
    assertNull(ApiKeyFilter.bearerToken(null));
    assertNull(ApiKeyFilter.bearerToken("Bearer"));
    assertNull(ApiKeyFilter.bearerToken("Bearer   "));
    assertNull(ApiKeyFilter.bearerToken("Basic YWxhZGRpbjpvcGVuc2VzYW1l"));
    assertNull(ApiKeyFilter.bearerToken("Bearerabc"));
  }
}
