package io.aard.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SqlStatementTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "SELECT ID, STATUS FROM plans WHERE (ID = ?) | SELECT | plans",
        "select t0.id from public.plan_steps t0 where t0.plan_id = ? | SELECT | public.plan_steps",
        "SELECT t1.ID FROM tasks t0, plans t1 WHERE t1.TASK_ID = t0.ID | SELECT | tasks",
        "SELECT p.id FROM plans p JOIN plan_steps s ON s.plan_id = p.id | SELECT | plans",
        "SELECT (SELECT count(*) FROM plan_steps s) FROM plans | SELECT | plans",
        "INSERT INTO plans (ID, STATUS) VALUES (?, ?) | INSERT | plans",
        "insert into aard.tasks (id) values (?) | INSERT | aard.tasks",
        "UPDATE plan_steps SET STATUS = ? WHERE (ID = ?) | UPDATE | plan_steps",
        "UPDATE ONLY plans SET status = ? | UPDATE | plans",
        "DELETE FROM plan_steps WHERE (PLAN_ID = ?) | DELETE | plan_steps",
        "MERGE INTO plans p USING x ON p.id = x.id WHEN MATCHED THEN DELETE | MERGE | plans",
        "SELECT \"Id\" FROM \"public\".\"Plans\" | SELECT | \"public\".\"Plans\"",
      })
  void operationAndFirstTable(String sql, String operation, String collection) {
    SqlStatement statement = SqlStatement.parse(sql);
    assertEquals(operation, statement.operation());
    assertEquals(collection, statement.collection());
    assertEquals(operation + " " + collection, statement.spanName("aard"));
  }

  @Test
  void withQueryIsNamedAfterItsMainStatement() {
    SqlStatement select =
        SqlStatement.parse(
            "WITH recent (id) AS (SELECT id FROM plans WHERE created_at > ?),"
                + " done AS MATERIALIZED (SELECT plan_id FROM plan_steps)"
                + " SELECT t.id FROM tasks t JOIN recent r ON r.id = t.id");
    assertEquals("SELECT", select.operation());
    assertEquals("tasks", select.collection());
    SqlStatement update =
        SqlStatement.parse(
            "WITH stale AS (SELECT id FROM plans WHERE heartbeat < now())"
                + " UPDATE plans SET status = ? WHERE id IN (SELECT id FROM stale)");
    assertEquals("UPDATE plans", update.spanName("aard"));
  }

  @Test
  void aNameOfTheWithClauseIsNoTable() {
    SqlStatement statement =
        SqlStatement.parse("WITH RECURSIVE tree AS (SELECT 1) SELECT * FROM tree");
    assertEquals("SELECT", statement.operation());
    assertNull(statement.collection());
    assertEquals("SELECT aard", statement.spanName("aard"));
  }

  @Test
  void statementsWithoutATableAreNamedAfterTheDatabase() {
    assertEquals(
        "SET aard", SqlStatement.parse("SET LOCAL statement_timeout = 5").spanName("aard"));
    assertEquals("SELECT aard", SqlStatement.parse("SELECT 1").spanName("aard"));
    assertEquals("SELECT", SqlStatement.parse("SELECT now()").spanName(null));
    assertEquals("SELECT", SqlStatement.parse("SELECT * FROM (SELECT 1) x").spanName(null));
    assertEquals("postgresql", SqlStatement.parse("").spanName(null));
    assertEquals("aard", SqlStatement.parse("(SELECT 1)").spanName("aard"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "SELECT * FROM plans WHERE id = 'a-secret' | SELECT * FROM plans WHERE id = ?",
        "SELECT 'it''s', E'x\\'y', X'1F' FROM t | SELECT ?, ?, ? FROM t",
        "UPDATE t SET n = 42, f = -1.5e10, h = 0xFF | UPDATE t SET n = ?, f = -?, h = ?",
        "SELECT $$body$$, $tag$x$tag$ FROM t WHERE a = $1 | SELECT ?, ? FROM t WHERE a = $1",
        "SELECT t0.id, plan_steps2.x FROM plan_steps2 t0 | SELECT t0.id, plan_steps2.x FROM"
            + " plan_steps2 t0",
        "SELECT \"col 1\" FROM t -- 'a comment' | SELECT \"col 1\" FROM t  ",
        "SELECT /* 'hint' 7 */ a FROM t LIMIT 10 | SELECT   a FROM t LIMIT ?",
        "SELECT a FROM t WHERE b = ? AND c IS TRUE | SELECT a FROM t WHERE b = ? AND c IS TRUE",
      })
  void literalValuesBecomePlaceholders(String sql, String sanitized) {
    assertEquals(sanitized.strip(), SqlStatement.parse(sql).text().strip());
  }

  @Test
  void anUnterminatedLiteralIsHiddenToTheEnd() {
    String text = SqlStatement.parse("SELECT * FROM t WHERE a = 'no end and a secret").text();
    assertEquals("SELECT * FROM t WHERE a = ?", text);
    assertFalse(SqlStatement.parse("SELECT $q$ secret").text().contains("secret"));
  }
}
