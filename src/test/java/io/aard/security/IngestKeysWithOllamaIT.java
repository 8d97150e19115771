package io.aard.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aard.testing.Api;
import io.aard.testing.Api.Reply;
import io.aard.testing.Deployments;
import java.net.http.HttpRequest;
import java.util.HexFormat;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The {@code ingest} role on a server with API keys: it may send spans to {@code POST /v1/traces}
 * and nothing else; an operator may send spans too; a reader and an anonymous client may not.
 */
@ExtendWith(ArquillianExtension.class)
class IngestKeysWithOllamaIT {

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.aard();
  }

  private final Api operator = new Api();
  private final Api reader = operator.withApiKey(System.getProperty("aard.it.reader.key"));
  private final Api ingest = operator.withApiKey(System.getProperty("aard.it.ingest.key"));
  private final Api anonymous = operator.withApiKey(null);

  /** One valid span in the OTLP JSON mapping. */
  private static String oneSpan() {
    long now = System.currentTimeMillis() * 1_000_000L;
    byte[] trace = new byte[16];
    new java.util.Random().nextBytes(trace);
    trace[0] |= 1;
    return "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\""
        + HexFormat.of().formatHex(trace)
        + "\",\"spanId\":\"0102030405060708\",\"name\":\"keyed\",\"startTimeUnixNano\":\""
        + now
        + "\",\"endTimeUnixNano\":\""
        + now
        + "\"}]}]}]}";
  }

  @Test
  void ingestAndOperatorKeysMaySendSpansReaderAndAnonymousMayNot() {
    assertEquals(200, ingest.post("/v1/traces", oneSpan(), "application/json").status());
    assertEquals(200, operator.post("/v1/traces", oneSpan(), "application/json").status());
    Reply asReader = reader.post("/v1/traces", oneSpan(), "application/json");
    assertEquals(403, asReader.status(), asReader.toString());
    Reply anon = anonymous.post("/v1/traces", oneSpan(), "application/json");
    assertEquals(401, anon.status(), anon.toString());
    assertTrue(anon.header("WWW-Authenticate").startsWith("Bearer"), anon.toString());
    // Refused before the body is looked at: an anonymous client learns nothing of the format.
    assertEquals(401, anonymous.post("/v1/traces", "x", "text/plain").status());
  }

  @Test
  void anIngestKeyReadsAndChangesNothingUnderApi() {
    Reply read = ingest.get("/api/agents");
    assertEquals(403, read.status(), read.toString());
    assertTrue(read.json().getString("error").contains("POST /v1/traces"), read.toString());
    assertEquals(403, ingest.get("/api/traces").status());
    assertEquals(
        403,
        ingest
            .send(
                HttpRequest.newBuilder(ingest.uri("/api/tasks"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"description\":\"x\"}")))
            .status());
  }
}
