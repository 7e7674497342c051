package dev.rlhf.labeling.web;

import io.quarkus.test.common.http.TestHTTPResource;
import java.net.URL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * One headless Chromium for all browser test classes of the test run (starting one costs seconds on
 * a busy machine, and every test signs in afresh, clearing cookies and local storage first), at
 * desktop size before each test (a test may resize it), with the page's console printed after each
 * test so a failure shows what the page logged. A browser that stopped answering is replaced; the
 * last one is closed when the test JVM exits.
 */
abstract class BrowserTestBase {

  protected static Browser browser;

  @TestHTTPResource("/")
  URL base;

  @BeforeEach
  void startBrowser() {
    synchronized (BrowserTestBase.class) {
      if (browser != null && !browser.readyForNextTest()) {
        try {
          browser.close();
        } catch (RuntimeException e) {
          // it had stopped answering already; its processes are stopped all the same
        }
        browser = null;
      }
      if (browser == null) {
        Browser started = Browser.start(base);
        Runtime.getRuntime().addShutdownHook(new Thread(started::close, "close-chromium"));
        browser = started;
      }
    }
    browser.base(base);
    browser.size(1280, 900);
  }

  @AfterEach
  void printBrowserConsole() {
    if (browser != null) browser.printConsole();
  }
}
