package io.aard.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aard.db.EmbeddedSettings.Mode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EmbeddedSettingsTest {

  @Test
  void modeDefaultsToAutoAndRefusesOtherValuesNamingTheKey() {
    assertThat(EmbeddedSettings.mode(Map.<String, String>of()::get)).isEqualTo(Mode.AUTO);
    assertThat(EmbeddedSettings.mode(Map.of("AARD_DB_EMBEDDED", " TRUE ")::get))
        .isEqualTo(Mode.TRUE);
    assertThat(EmbeddedSettings.mode(Map.of("AARD_DB_EMBEDDED", "false")::get))
        .isEqualTo(Mode.FALSE);
    assertThatThrownBy(() -> EmbeddedSettings.mode(Map.of("AARD_DB_EMBEDDED", "yes")::get))
        .hasMessageContaining("AARD_DB_EMBEDDED=yes")
        .hasMessageContaining("auto, true or false");
  }

  @Test
  void directoryDefaultsToTheServerOutputDirectory() {
    Path out = Path.of("/srv/liberty/aard");
    assertThat(EmbeddedSettings.directory(Map.<String, String>of()::get, out))
        .isEqualTo(out.resolve("embedded-postgres"));
    assertThat(EmbeddedSettings.directory(Map.of("AARD_DB_EMBEDDED_DIR", "/data/pg")::get, out))
        .isEqualTo(Path.of("/data/pg"));
  }

  @Test
  void onlyLoopbackHostsGetAnEmbeddedDatabase() {
    assertThat(EmbeddedSettings.isLoopback("127.0.0.1")).isTrue();
    assertThat(EmbeddedSettings.isLoopback("localhost")).isTrue();
    assertThat(EmbeddedSettings.isLoopback("::1")).isTrue();
    assertThat(EmbeddedSettings.isLoopback("postgres")).isFalse();
    assertThat(EmbeddedSettings.isLoopback("10.0.0.5")).isFalse();
  }

  @Test
  void portIsChecked() {
    assertThat(EmbeddedSettings.port(null)).isEqualTo(5432);
    assertThatThrownBy(() -> EmbeddedSettings.port("70000")).hasMessageContaining("AARD_DB_PORT");
  }

  @Test
  void probeTellsNothingFromSomethingThatIsNotPostgres() throws IOException {
    int free;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      free = s.getLocalPort();
    }
    assertThat(PortProbe.probe("127.0.0.1", free)).isEqualTo(PortProbe.Found.NOTHING);
    // A listener that accepts and says nothing: not PostgreSQL, found out within the timeout.
    try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertThat(PortProbe.probe("127.0.0.1", silent.getLocalPort()))
          .isEqualTo(PortProbe.Found.OTHER);
    }
  }

  @Test
  void probeRecognisesPostgresWhereOneListens() {
    // The machine's PostgreSQL when there is one (the suite's usual database); skipped otherwise.
    org.junit.jupiter.api.Assumptions.assumeTrue(
        PortProbe.probe("127.0.0.1", 5432) != PortProbe.Found.NOTHING);
    assertThat(PortProbe.probe("127.0.0.1", 5432)).isEqualTo(PortProbe.Found.POSTGRES);
  }
}
