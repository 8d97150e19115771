package io.aard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DotEnvTest {

  @Test
  void readsTheCommonConventions() {
    var values =
        DotEnv.parse(
            ".env",
            List.of(
                "# tracing, as the original system had it",
                "",
                "ENABLE_TRACING=true",
                "export TRACING_EXPORTER = database ",
                "LLM_PROVIDER=builtin # a comment after a space",
                "OLLAMA_MODEL='llama3 # not a comment'",
                "GREETING=\"one\\ntwo \\\"quoted\\\"\" # comment",
                "EMPTY=",
                "URL=http://127.0.0.1:11434/#frag"));
    assertThat(values)
        .containsEntry("ENABLE_TRACING", "true")
        .containsEntry("TRACING_EXPORTER", "database")
        .containsEntry("LLM_PROVIDER", "builtin")
        .containsEntry("OLLAMA_MODEL", "llama3 # not a comment")
        .containsEntry("GREETING", "one\ntwo \"quoted\"")
        .containsEntry("EMPTY", "")
        .containsEntry("URL", "http://127.0.0.1:11434/#frag");
  }

  @Test
  void aMalformedLineNamesTheFileAndLine() {
    assertThatThrownBy(() -> DotEnv.parse("/srv/.env", List.of("A=1", "", "just words")))
        .hasMessageStartingWith("/srv/.env line 3 is not KEY=VALUE");
    assertThatThrownBy(() -> DotEnv.parse(".env", List.of("1BAD=x")))
        .hasMessageContaining(".env line 1 has an invalid key");
    assertThatThrownBy(() -> DotEnv.parse(".env", List.of("A=\"open")))
        .hasMessageContaining(".env line 1 has an unterminated \" quote");
    assertThatThrownBy(() -> DotEnv.parse(".env", List.of("A='x' y")))
        .hasMessageContaining("text after the closing quote");
  }

  @Test
  void theNearestFileUpToTheProjectRootIsRead(@TempDir Path project) throws Exception {
    Path server = Files.createDirectories(project.resolve("target/liberty/wlp/usr/servers/aard"));
    Files.writeString(project.resolve("pom.xml"), "<project/>");
    assertThat(DotEnv.locate(server)).isEmpty();

    Files.writeString(project.resolve(".env"), "LLM_PROVIDER=builtin\n");
    assertThat(DotEnv.locate(server)).contains(project.resolve(".env"));
    assertThat(DotEnvConfigSource.load(server)).containsEntry("LLM_PROVIDER", "builtin");

    Files.writeString(server.resolve(".env"), "LLM_PROVIDER=ollama\n");
    assertThat(DotEnv.locate(server)).contains(server.resolve(".env"));
  }

  @Test
  void theSearchStopsAtTheProjectRoot(@TempDir Path outside) throws Exception {
    Files.writeString(outside.resolve(".env"), "A=1\n");
    Path project = Files.createDirectories(outside.resolve("project"));
    Files.writeString(project.resolve("pom.xml"), "<project/>");
    assertThat(DotEnv.locate(project.resolve("target").resolve("x"))).isEmpty();
  }
}
