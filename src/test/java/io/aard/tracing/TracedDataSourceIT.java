package io.aard.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.aard.testing.BuildDatabase;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** Database spans around real statements on the machine's PostgreSQL (a temporary table). */
class TracedDataSourceIT {

  private final InMemorySpanExporter collector = InMemorySpanExporter.create();
  private SdkTracerProvider tracerProvider;
  private Tracer tracer;
  private Connection connection;

  @BeforeEach
  void setUp() throws SQLException {
    tracerProvider =
        SdkTracerProvider.builder()
            .addSpanProcessor(new WorkContextProcessor())
            .addSpanProcessor(SimpleSpanProcessor.create(collector))
            .build();
    tracer = tracerProvider.get("test");
    DatabaseSpans.useTracer(tracer);
    PGSimpleDataSource postgres = new PGSimpleDataSource();
    postgres.setUrl(BuildDatabase.jdbcUrl("postgres"));
    postgres.setUser("postgres");
    DataSource traced = TracedDataSource.wrap(postgres);
    connection = traced.getConnection();
    try (Statement create = connection.createStatement()) {
      create.execute("CREATE TEMPORARY TABLE notes (id int PRIMARY KEY, body text)");
    }
    assertThat(collector.getFinishedSpanItems()).as("no span without a parent").isEmpty();
  }

  @AfterEach
  void tearDown() throws SQLException {
    connection.close();
    DatabaseSpans.useTracer(null);
    tracerProvider.close();
  }

  @Test
  void aStatementUnderASpanIsItsClientChildWithTheConventionsAttributes() throws SQLException {
    UUID task = UUID.randomUUID();
    Span parent = tracer.spanBuilder("request").startSpan();
    try (Scope scope = parent.makeCurrent();
        Scope work = WorkContext.enter(task, null);
        PreparedStatement insert =
            connection.prepareStatement("INSERT INTO notes (id, body) VALUES (?, 'a literal')")) {
      insert.setInt(1, 7);
      insert.executeUpdate();
    } finally {
      parent.end();
    }
    SpanData span = only("INSERT notes");
    assertEquals(SpanKind.CLIENT, span.getKind());
    assertEquals(parent.getSpanContext().getSpanId(), span.getParentSpanId());
    var attributes = span.getAttributes();
    assertEquals("postgresql", attributes.get(DatabaseSpans.SYSTEM_NAME));
    assertEquals("postgres", attributes.get(DatabaseSpans.NAMESPACE));
    assertEquals("INSERT", attributes.get(DatabaseSpans.OPERATION));
    assertEquals("notes", attributes.get(DatabaseSpans.COLLECTION));
    assertEquals(
        "INSERT INTO notes (id, body) VALUES (?, ?)", attributes.get(DatabaseSpans.QUERY_TEXT));
    assertEquals("127.0.0.1", attributes.get(DatabaseSpans.SERVER_ADDRESS));
    assertEquals((long) BuildDatabase.port(), attributes.get(DatabaseSpans.SERVER_PORT));
    assertEquals(task.toString(), attributes.get(WorkContext.TASK_ID));
    assertThat(attributes.asMap().values().stream().map(String::valueOf).toList().toString())
        .doesNotContain("a literal");
  }

  @Test
  void aBatchIsOneSpanWithItsSize() throws SQLException {
    Span parent = tracer.spanBuilder("request").startSpan();
    try (Scope scope = parent.makeCurrent();
        PreparedStatement insert =
            connection.prepareStatement("INSERT INTO notes (id, body) VALUES (?, ?)")) {
      for (int i = 0; i < 3; i++) {
        insert.setInt(1, i);
        insert.setString(2, "secret " + i);
        insert.addBatch();
      }
      insert.executeBatch();
    } finally {
      parent.end();
    }
    SpanData span = only("BATCH INSERT notes");
    assertEquals(3L, span.getAttributes().get(DatabaseSpans.BATCH_SIZE));
    assertEquals("BATCH INSERT", span.getAttributes().get(DatabaseSpans.OPERATION));
    assertThat(
            span.getAttributes().asMap().values().stream().map(String::valueOf).toList().toString())
        .doesNotContain("secret");
  }

  @Test
  void aFailingStatementIsAnErrorNamedByItsSqlState() throws SQLException {
    Span parent = tracer.spanBuilder("request").startSpan();
    try (Scope scope = parent.makeCurrent();
        Statement statement = connection.createStatement()) {
      statement.execute("INSERT INTO notes (id, body) VALUES (1, 'first')");
      assertThrows(
          SQLException.class,
          () -> statement.execute("INSERT INTO notes (id, body) VALUES (1, 'duplicate')"));
    } finally {
      parent.end();
    }
    List<SpanData> inserts =
        collector.getFinishedSpanItems().stream()
            .filter(s -> s.getName().equals("INSERT notes"))
            .toList();
    assertEquals(2, inserts.size());
    SpanData failed = inserts.get(1);
    assertEquals(StatusCode.ERROR, failed.getStatus().getStatusCode());
    assertEquals("23505", failed.getAttributes().get(DatabaseSpans.ERROR_TYPE));
    assertEquals("exception", failed.getEvents().get(0).getName());
    assertThat(
            failed.getEvents().get(0).getAttributes().asMap().values().stream()
                .map(String::valueOf)
                .toList()
                .toString())
        .contains("SQLSTATE 23505")
        .doesNotContain("duplicate")
        .doesNotContain("(1)");
    assertEquals(
        "INSERT INTO notes (id, body) VALUES (?, ?)",
        failed.getAttributes().get(DatabaseSpans.QUERY_TEXT));
  }

  @Test
  void noSpanWithoutAParentOrWhenUntracedOrUnsampled() throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("SELECT count(*) FROM notes");
      Span parent = tracer.spanBuilder("request").startSpan();
      try (Scope scope = parent.makeCurrent();
          Scope untraced = DatabaseSpans.untraced()) {
        statement.execute("SELECT count(*) FROM notes");
      } finally {
        parent.end();
      }
      SdkTracerProvider dropping =
          SdkTracerProvider.builder().setSampler(Sampler.alwaysOff()).build();
      Span unsampled = dropping.get("test").spanBuilder("read").startSpan();
      try (Scope scope = unsampled.makeCurrent()) {
        statement.execute("SELECT count(*) FROM notes");
      } finally {
        unsampled.end();
        dropping.close();
      }
    }
    assertThat(collector.getFinishedSpanItems())
        .extracting(SpanData::getName)
        .containsExactly("request");
  }

  private SpanData only(String name) {
    List<SpanData> spans =
        collector.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).toList();
    assertThat(spans)
        .as("spans named " + name + " in " + collector.getFinishedSpanItems())
        .hasSize(1);
    return spans.get(0);
  }
}
