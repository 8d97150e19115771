package io.aard.viewer;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The system's headless Chromium driven through the system's chromedriver, with a fresh profile.
 * Both paths are explicit, so Selenium Manager never looks for (or downloads) a browser or driver.
 */
final class Chromium implements AutoCloseable {

  /** Debian's Chromium; CI installs it with {@code chromium-driver} (see {@code .ci/run}). */
  static final Path BROWSER = Path.of("/usr/bin/chromium");

  static final Path DRIVER = Path.of("/usr/bin/chromedriver");

  /**
   * The system property that turns a missing browser from a skip into a failure; {@code .ci/run}
   * sets it (and the pom hands it to failsafe), as does {@code CI=true} in the environment.
   */
  static final String REQUIRED = "aard.require.browser";

  private static final String INSTALL = "apt-get install chromium chromium-driver";

  static final Dimension WIDE = new Dimension(1280, 900);
  static final Dimension NARROW = new Dimension(390, 844);

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Path SCREENSHOTS = Path.of("target", "screenshots");
  private static final Logger LOG = Logger.getLogger(Chromium.class.getName());

  private final Path profile;
  private final ChromeDriver driver;
  private final String base;

  /** Whether the browser and its driver are installed. */
  static boolean installed() {
    return Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER);
  }

  /**
   * Whether a missing browser must fail the browser tests: in CI a skip would let the build pass
   * without ever having looked at the viewer.
   */
  static boolean required() {
    return Boolean.getBoolean(REQUIRED) || "true".equalsIgnoreCase(System.getenv("CI"));
  }

  /**
   * Lets the calling test run only with the browser and its driver installed. Without them it is
   * skipped on a developer's machine, so that {@code mvn verify} works there, and fails where
   * browsers are {@linkplain #required() required}, saying how to install them.
   */
  static void assumeInstalled() {
    assumeInstalled(List.of(BROWSER, DRIVER), required());
  }

  /** {@link #assumeInstalled()} for the executables {@code needed}. */
  static void assumeInstalled(List<Path> needed, boolean required) {
    List<String> missing =
        needed.stream().filter(path -> !Files.isExecutable(path)).map(Path::toString).toList();
    if (missing.isEmpty()) {
      return;
    }
    if (required) {
      Assertions.fail(
          "browser tests cannot run: "
              + String.join(" and ", missing)
              + " missing. Install them with `"
              + INSTALL
              + "` (.ci/run does); they are required here because -D"
              + REQUIRED
              + "=true or CI=true is set.");
    }
    Assumptions.abort(
        "browser tests skipped: "
            + String.join(" and ", missing)
            + " missing (`"
            + INSTALL
            + "`; .ci/run does, and there a missing browser fails instead).");
  }

  /** Starts a browser at the wide size, on the viewer served at {@code base}. */
  Chromium(String base) throws IOException {
    this.base = base;
    this.profile = Files.createTempDirectory("aard-viewer-chromium");
    System.setProperty("webdriver.chrome.driver", DRIVER.toString());
    ChromeOptions options = new ChromeOptions();
    options.setBinary(BROWSER.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--hide-scrollbars",
        "--user-data-dir=" + profile,
        "--window-size=" + WIDE.width + "," + WIDE.height);
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).build();
    this.driver = new ChromeDriver(service, options);
    size(WIDE);
  }

  WebDriver driver() {
    return driver;
  }

  /** Opens a viewer route such as {@code #/search?task_id=…}. */
  void open(String hash) {
    // A new document each time: a change of hash alone would not reload the page.
    driver.get("about:blank");
    driver.get(base + hash);
  }

  /** Resizes the viewport itself (not the window) to {@code size}. */
  void size(Dimension size) {
    driver.manage().window().setSize(size);
    Long innerWidth = (Long) script("return window.innerWidth;");
    Long innerHeight = (Long) script("return window.innerHeight;");
    if (innerWidth != size.width || innerHeight != size.height) {
      int width = size.width * 2 - innerWidth.intValue();
      int height = size.height * 2 - innerHeight.intValue();
      driver.manage().window().setSize(new Dimension(width, height));
    }
  }

  String hash() {
    return (String) script("return location.hash;");
  }

  Object script(String js, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(js, args);
  }

  <T> T await(Function<WebDriver, T> condition) {
    return new WebDriverWait(driver, WAIT).until(condition);
  }

  <T> T await(Function<WebDriver, T> condition, Duration deadline) {
    return new WebDriverWait(driver, deadline).until(condition);
  }

  WebElement visible(String css) {
    return await(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
  }

  List<WebElement> all(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  /** Waits until {@code css} matches exactly {@code n} elements and returns them. */
  List<WebElement> exactly(String css, int n) {
    return await(ExpectedConditions.numberOfElementsToBe(By.cssSelector(css), n));
  }

  /** Whether the page is no wider than the viewport: nothing to scroll sideways. */
  boolean fitsWidth() {
    return (Boolean)
        script("return document.documentElement.scrollWidth <= window.innerWidth + 1;");
  }

  /**
   * The elements that reach past the viewport's right edge, innermost first (tag, id, classes and
   * right edge), for the message of a failed {@link #fitsWidth()}: which one to fix.
   */
  String overflowing() {
    return (String)
        script(
            "const w = window.innerWidth + 1; const out = [];"
                + "for (const el of document.body.querySelectorAll('*')) {"
                + "  const r = el.getBoundingClientRect();"
                + "  if (r.right > w && r.width > 0"
                + "      && ![...el.children].some(c => c.getBoundingClientRect().right > w))"
                + "    out.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}"
                + "${el.className && typeof el.className === 'string'"
                + " ? '.' + el.className.trim().split(/\\s+/).join('.') : ''}"
                + " right=${Math.round(r.right)}`); }"
                + "return `${document.documentElement.scrollWidth} px wide in ${window.innerWidth}:"
                + " ` + out.slice(0, 8).join(', ');");
  }

  /** Saves what the viewport shows as {@code target/screenshots/<name>.png}. */
  Path screenshot(String name) throws IOException {
    Files.createDirectories(SCREENSHOTS);
    Path file = SCREENSHOTS.resolve(name + ".png");
    Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
    LOG.info(() -> "screenshot " + file.toAbsolutePath());
    return file;
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
