package dev.rlhf.labeling.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven by Debian's chromedriver. Both paths are given explicitly, so
 * Selenium Manager never runs and nothing downloads a browser.
 */
final class Browser implements AutoCloseable {

  static final Path SCREENSHOTS = Path.of("target", "screenshots");
  private static final String CHROMIUM = System.getProperty("chromium.binary", "/usr/bin/chromium");
  private static final String CHROMEDRIVER =
      System.getProperty("chromedriver.binary", "/usr/bin/chromedriver");

  final ChromeDriver driver;
  private final ChromeDriverService service;
  private final Path profile;
  private URL base;
  private boolean closed;

  private Browser(URL base) throws IOException {
    this.base = base;
    this.profile = Files.createTempDirectory("chromium-profile");
    service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(Path.of(CHROMEDRIVER).toFile())
            .usingAnyFreePort()
            .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1280,900",
        "--user-data-dir=" + profile);
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    driver = new ChromeDriver(service, options);
  }

  static Browser start(URL base) {
    try {
      Files.createDirectories(SCREENSHOTS);
      return new Browser(base);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The application the relative paths of {@link #open} and {@link #signIn} go to. */
  void base(URL base) {
    this.base = base;
  }

  /**
   * Dismisses a dialog an earlier test left open, so the next page can load; false when the browser
   * no longer answers (a crashed Chromium or chromedriver).
   */
  boolean readyForNextTest() {
    try {
      try {
        driver.switchTo().alert().dismiss();
      } catch (NoAlertPresentException e) {
        // the usual case: no dialog open
      }
      driver.getWindowHandle();
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Signs in through the sign-in form, landing on {@code next}. */
  void signIn(String username, String password, String next) {
    // A page with no script, so nothing of the last session's pages runs while it is cleared.
    open("/css/app.css");
    driver.manage().deleteAllCookies();
    script("localStorage.clear()");
    open("/?next=" + java.net.URLEncoder.encode(next, java.nio.charset.StandardCharsets.UTF_8));
    WebElement user = waitFor(By.id("username"));
    user.sendKeys(username);
    driver.findElement(By.id("password")).sendKeys(password);
    driver.findElement(By.cssSelector("#signin button[type=submit]")).click();
    waitFor(By.cssSelector("#account .who"));
  }

  void open(String path) {
    driver.get(base.toString().replaceAll("/$", "") + path);
  }

  WebElement waitFor(By locator) {
    return new WebDriverWait(driver, Duration.ofSeconds(15))
        .until(ExpectedConditions.visibilityOfElementLocated(locator));
  }

  WebElement waitForPresent(By locator) {
    return new WebDriverWait(driver, Duration.ofSeconds(15))
        .until(ExpectedConditions.presenceOfElementLocated(locator));
  }

  void waitForText(By locator, String text) {
    new WebDriverWait(driver, Duration.ofSeconds(15))
        .until(ExpectedConditions.textToBePresentInElementLocated(locator, text));
  }

  /** Accepts the confirmation dialog the page opens, returning what it asked. */
  String confirm() {
    Alert alert =
        new WebDriverWait(driver, Duration.ofSeconds(15))
            .until(ExpectedConditions.alertIsPresent());
    String question = alert.getText();
    alert.accept();
    return question;
  }

  Object script(String js, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(js, args);
  }

  void size(int width, int height) {
    driver.manage().window().setSize(new Dimension(width, height));
  }

  /** Saves the page as target/screenshots/{name}.png. */
  void screenshot(String name) {
    try {
      Path shot = driver.getScreenshotAs(OutputType.FILE).toPath();
      Files.copy(shot, SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Prints what the page logged (errors, warnings) since the last call, for failing tests. */
  void printConsole() {
    for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
      System.out.println("browser console: " + entry.getLevel() + " " + entry.getMessage());
    }
  }

  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    try {
      driver.quit();
    } finally {
      service.stop();
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException ignored) {
        // a leftover temporary profile is harmless
      }
    }
  }
}
