package io.aard.viewer;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** When the browser tests run, skip, or fail: never a silent skip where browsers are required. */
class ChromiumTest {

  @TempDir Path dir;

  @Test
  void installedBrowserRunsWhetherRequiredOrNot() throws IOException {
    List<Path> needed = List.of(executable("chromium"), executable("chromedriver"));

    assertDoesNotThrow(() -> Chromium.assumeInstalled(needed, false));
    assertDoesNotThrow(() -> Chromium.assumeInstalled(needed, true));
  }

  @Test
  void missingBrowserIsASkipOnADevelopersMachine() throws IOException {
    List<Path> needed = List.of(executable("chromium"), dir.resolve("chromedriver"));

    TestAbortedException skipped =
        assertThrows(TestAbortedException.class, () -> Chromium.assumeInstalled(needed, false));
    assertTrue(skipped.getMessage().contains("chromedriver missing"), skipped.getMessage());
    assertTrue(
        skipped.getMessage().contains("apt-get install chromium chromium-driver"),
        skipped.getMessage());
  }

  @Test
  void missingBrowserIsAFailureWhereBrowsersAreRequired() {
    List<Path> needed = List.of(dir.resolve("chromium"), dir.resolve("chromedriver"));

    AssertionFailedError failed =
        assertThrows(AssertionFailedError.class, () -> Chromium.assumeInstalled(needed, true));
    assertTrue(failed.getMessage().contains("chromium and "), failed.getMessage());
    assertTrue(
        failed.getMessage().contains("apt-get install chromium chromium-driver"),
        failed.getMessage());
  }

  private Path executable(String name) throws IOException {
    Path file = Files.createFile(dir.resolve(name));
    assertTrue(file.toFile().setExecutable(true));
    return file;
  }
}
