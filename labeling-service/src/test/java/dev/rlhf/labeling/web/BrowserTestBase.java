package dev.rlhf.labeling.web;

import io.quarkus.test.common.http.TestHTTPResource;
import java.net.URL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * One headless Chromium per browser test class, at desktop size before each test (a test may resize
 * it), with the page's console printed after each test so a failure shows what the page logged.
 */
abstract class BrowserTestBase {

  protected static Browser browser;

  @TestHTTPResource("/")
  URL base;

  @BeforeEach
  void startBrowser() {
    if (browser == null) browser = Browser.start(base);
    browser.size(1280, 900);
  }

  @AfterEach
  void printBrowserConsole() {
    if (browser != null) browser.printConsole();
  }

  @AfterAll
  static void closeBrowser() {
    if (browser != null) browser.close();
    browser = null;
  }
}
