package io.aard.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aard.testing.Api;
import io.aard.testing.Deployments;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.Alert;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The viewer on a server that requires API keys (the Ollama test server): it asks for a key, keeps
 * it for the tab's session only, and asks again when a key is refused.
 */
@ExtendWith(ArquillianExtension.class)
class ViewerApiKeyWithOllamaIT {

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.aard();
  }

  private final String base =
      "http://127.0.0.1:" + System.getProperty("aard.it.http.port", "9280") + "/";

  @Test
  void asksForAKeyKeepsItForTheSessionAndAsksAgainWhenRefused() throws Exception {
    Chromium.assumeInstalled();
    String reader = System.getProperty("aard.it.reader.key");
    assertEquals(
        401,
        new Api(base.substring(0, base.length() - 1))
            .withApiKey(null)
            .get("/api/traces/")
            .status());
    try (Chromium browser = new Chromium(base)) {
      browser.open("#/search");
      Alert wrong = browser.await(ExpectedConditions.alertIsPresent());
      wrong.sendKeys("not-a-key-of-this-server");
      wrong.accept();
      Alert again = browser.await(ExpectedConditions.alertIsPresent());
      assertTrue(again.getText().contains("not accepted"), again.getText());
      again.sendKeys(reader);
      again.accept();
      browser.visible("#search-form");
      browser.await(
          d -> !browser.all("#traces tbody tr").isEmpty() || !browser.all("#no-results").isEmpty());
      assertTrue(browser.all(".message.error").isEmpty(), "no error once the key is given");
      assertEquals(reader, browser.script("return sessionStorage.getItem('aard.apiKey');"));
      assertEquals(0L, browser.script("return localStorage.length;"), "not kept beyond the tab");
      assertEquals("", browser.script("return document.cookie;"));
      browser.screenshot("viewer-api-key");
    }
  }
}
