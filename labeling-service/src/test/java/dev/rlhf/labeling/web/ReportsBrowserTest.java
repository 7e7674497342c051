package dev.rlhf.labeling.web;

import static dev.rlhf.labeling.web.Seed.PASSWORD;
import static dev.rlhf.labeling.web.Seed.as;
import static dev.rlhf.labeling.web.Seed.labels;
import static dev.rlhf.labeling.web.Seed.project;
import static dev.rlhf.labeling.web.Seed.user;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rlhf.labeling.reports.FakeChatRuntime;
import dev.rlhf.testing.EmbeddedKafkaResource;
import dev.rlhf.testing.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The reviewer queue in headless Chromium: reports from production, triaged into work. */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedKafkaResource.class)
@QuarkusTestResource(FakeChatRuntime.class)
class ReportsBrowserTest extends BrowserTestBase {

  private static String token;

  private String reviewer;

  @BeforeEach
  void createAccounts() {
    if (token == null) token = issueToken("support-bot");
    reviewer = user("reviewer");
  }

  @Test
  void shouldListANewReportWithItsCategoryCountAndStateAndShowItsTextsAsText() {
    String question = "<img src=x onerror=\"window.__xss='question'\"> What is 2+2? " + nonce();
    String answer = "<script>window.__xss='answer'</script>5";
    String note = "<b>wrong</b> <img src=x onerror=alert('note')>";
    Map<String, Object> body = report("ext-" + nonce(), question, answer, "UNTRUTHFUL", 4);
    body.put("text", note);
    String id = post(body, 201);
    post(body, 200);

    openQueue();
    WebElement card = card(id);

    assertThat(badges(card)).containsExactly("untruthful", "reported 2×");
    assertThat(card.findElement(By.cssSelector(".row strong")).getText()).isEqualTo("severity 4");
    assertThat(card.findElement(By.cssSelector(".meta")).getText())
        .startsWith("support-bot · model policy-web-1 · last reported ");
    assertThat(turns(card)).containsExactly(question, answer);
    assertThat(card.findElement(By.cssSelector("p.untrusted")).getText())
        .isEqualTo("Note: " + note);
    assertThat(stateTab("NEW").getDomAttribute("aria-pressed")).isEqualTo("true");
    assertThat(card.findElements(By.xpath(".//button[text()='Accept']"))).hasSize(1);
    assertThat(
            browser.driver.findElements(
                By.cssSelector("#reports img, #reports script, #reports b")))
        .isEmpty();
    assertThat(browser.script("return window.__xss === undefined")).isEqualTo(true);
    assertThatThrownBy(() -> browser.driver.switchTo().alert())
        .isInstanceOf(NoAlertPresentException.class);
    browser.screenshot("reports-queue");
  }

  @Test
  void shouldAcceptAReportIntoACorrectionTaskThatAContractorThenTakesInTheWorkbench() {
    String researcher = user("researcher");
    String contractor = user("contractor");
    String project = project(researcher, "# Correct reported answers\n\nBe truthful.");
    String question = "What is 7 times 6? " + nonce();
    String id = post(report("ext-" + nonce(), question, "It is 43.", "UNTRUTHFUL", 5), 201);

    openQueue();
    new Select(browser.driver.findElement(By.id("project"))).selectByValue(project);
    card(id).findElement(By.xpath(".//button[text()='Accept']")).click();

    browser.waitForText(By.id("status"), "Report accepted.");
    assertThat(browser.driver.findElements(By.cssSelector(cardSelector(id)))).isEmpty();
    stateTab("ACCEPTED").click();
    WebElement accepted = card(id);
    String correctionTask = as(reviewer).get("/api/reports/" + id).path("correctionTaskId");
    assertThat(accepted.getText())
        .contains("accepted by " + reviewer)
        .contains("Correction task " + correctionTask);
    assertThat(accepted.findElements(By.xpath(".//button[text()='Accept']"))).isEmpty();

    browser.signIn(contractor, PASSWORD, "/workbench.html?project=" + project);
    browser.waitForText(By.cssSelector("#task h1"), "Correct the response");
    assertThat(
            browser.driver.findElement(By.cssSelector(".conversation .turn-user .text")).getText())
        .isEqualTo(question);
    assertThat(browser.driver.findElement(By.cssSelector(".drafts")).getText())
        .contains("It is 43.");
    browser.driver.findElement(By.cssSelector("textarea.editor")).sendKeys("7 times 6 is 42.");
    browser.driver.findElement(By.cssSelector("form.answer button[type=submit]")).click();

    browser.waitForText(By.id("status"), "Response submitted.");
    JsonPath stored = labels(researcher, project);
    assertThat(stored.getList("text")).containsExactly("7 times 6 is 42.");
  }

  @Test
  void shouldRequireAReasonToRejectAndShowTheReasonAsText() {
    String id =
        post(
            report("ext-" + nonce(), "Tell me a joke " + nonce(), "Knock knock.", "HARMFUL", 2),
            201);

    openQueue();
    WebElement card = card(id);
    card.findElement(By.xpath(".//button[text()='Reject']")).click();

    browser.waitForText(By.id("status"), "a reason is required to reject a report (reason)");
    assertThat(browser.driver.findElement(By.id("status")).getDomAttribute("data-kind"))
        .isEqualTo("error");
    assertThat(as(reviewer).get("/api/reports/" + id).<String>path("state")).isEqualTo("NEW");
    String reason = "A joke, not harm: <b>fine</b>";
    card.findElement(By.cssSelector("input[aria-label='Reason to reject']")).sendKeys(reason);
    card.findElement(By.xpath(".//button[text()='Reject']")).click();

    browser.waitForText(By.id("status"), "Report rejected.");
    assertThat(browser.driver.findElements(By.cssSelector(cardSelector(id)))).isEmpty();
    stateTab("REJECTED").click();
    WebElement rejected = card(id);
    assertThat(rejected.getText())
        .contains("rejected by " + reviewer)
        .contains("Reason: " + reason);
    assertThat(rejected.findElements(By.cssSelector("b"))).isEmpty();
  }

  @Test
  void shouldShowTheFiguresByCategoryModelVersionAndState() {
    String version = "policy-" + nonce();
    Map<String, Object> seenTwice = report("ext-" + nonce(), "Q1 " + nonce(), "a", "HARMFUL", 3);
    seenTwice.put("modelVersion", version);
    post(seenTwice, 201);
    post(seenTwice, 200);
    Map<String, Object> other = report("ext-" + nonce(), "Q2 " + nonce(), "b", "WRONG_REFUSAL", 1);
    other.put("modelVersion", version);
    post(other, 201);
    Map<String, Object> dismissed = report("ext-" + nonce(), "Q3 " + nonce(), "c", "HARMFUL", 1);
    dismissed.put("modelVersion", version);
    String rejected = post(dismissed, 201);
    as(reviewer)
        .body(Map.of("reason", "known issue"))
        .post("/api/reports/" + rejected + "/reject")
        .then()
        .statusCode(200);

    openQueue();
    JsonPath summary = as(reviewer).get("/api/reports/summary").jsonPath();

    // Reports, sightings, then new / accepted / rejected.
    assertThat(figureRow("By model version", version)).containsExactly("3", "4", "2", "0", "1");
    for (String category : List.of("HARMFUL", "WRONG_REFUSAL")) {
      String figure = "byCategory.find { it.key == '" + category + "' }";
      assertThat(figureRow("By category", category.toLowerCase().replace('_', ' ')))
          .containsExactly(
              summary.getString(figure + ".reports"),
              summary.getString(figure + ".sightings"),
              summary.getString(figure + ".byState.NEW"),
              summary.getString(figure + ".byState.ACCEPTED"),
              summary.getString(figure + ".byState.REJECTED"));
    }
    assertThat(figureRow("By state", "rejected"))
        .containsExactly(summary.getString("byState.REJECTED"));
    assertThat(figureRow("By state", "sightings, repeats included"))
        .containsExactly(summary.getString("sightings"));
    browser.screenshot("reports-figures");
  }

  @Test
  void shouldFitAPhoneSizedScreen() {
    String id = post(report("ext-" + nonce(), "A long question " + nonce(), "x", "OTHER", 1), 201);
    browser.size(375, 812);

    openQueue();
    card(id);
    browser.screenshot("reports-phone");

    assertThat(browser.script("return document.documentElement.scrollWidth <= window.innerWidth"))
        .isEqualTo(true);
    // Rows become cards on a phone; each figure carries its column's name in front of it.
    WebElement sightings =
        browser.driver.findElement(
            By.xpath("//div[h3='By model version']//tr[td[1]='policy-web-1']/td[3]"));
    assertThat(
            browser.script("return getComputedStyle(arguments[0], '::before').content", sightings))
        .isEqualTo("\"Sightings: \"");
  }

  @Test
  void shouldSendAContractorWhoOpensTheQueueToTheWorkbench() {
    browser.signIn(user("contractor"), PASSWORD, "/reports/");
    new WebDriverWait(browser.driver, Duration.ofSeconds(15))
        .until(ExpectedConditions.urlContains("/workbench.html"));
    assertThat(browser.driver.findElements(By.cssSelector("#reports"))).isEmpty();
  }

  private void openQueue() {
    browser.signIn(reviewer, PASSWORD, "/reports/");
    browser.waitFor(By.cssSelector("#figures table"));
  }

  private static WebElement card(String id) {
    return browser.waitFor(By.cssSelector(cardSelector(id)));
  }

  private static String cardSelector(String id) {
    return "#reports article.report[data-id='" + id + "']";
  }

  private static WebElement stateTab(String state) {
    return browser.driver.findElement(By.cssSelector("button[data-state=" + state + "]"));
  }

  private static List<String> badges(WebElement card) {
    return card.findElements(By.cssSelector(".badge")).stream().map(WebElement::getText).toList();
  }

  private static List<String> turns(WebElement card) {
    return card.findElements(By.cssSelector(".conversation .turn .untrusted")).stream()
        .map(WebElement::getText)
        .toList();
  }

  /** The cells after the first of the row that a figures table titled {@code title} has for key. */
  private static List<String> figureRow(String title, String key) {
    return browser
        .driver
        .findElements(
            By.xpath(
                "//div[@id='figures']/div[h3='"
                    + title
                    + "']//tr[td[1]='"
                    + key
                    + "']/td[position() > 1]"))
        .stream()
        .map(WebElement::getText)
        .toList();
  }

  private static String nonce() {
    return UUID.randomUUID().toString().substring(0, 8);
  }

  private static Map<String, Object> report(
      String externalId, String question, String answer, String category, int severity) {
    Map<String, Object> body = new HashMap<>();
    body.put("externalId", externalId);
    body.put(
        "conversation",
        List.of(
            Map.of("role", "USER", "text", question), Map.of("role", "ASSISTANT", "text", answer)));
    body.put("modelVersion", "policy-web-1");
    body.put("category", category);
    body.put("severity", severity);
    body.put("text", "seen in production");
    return body;
  }

  /** Posts a report as the production system with the token; returns the report's id. */
  private static String post(Map<String, Object> body, int expectedStatus) {
    return given()
        .header("Authorization", "Bearer " + token)
        .contentType(ContentType.JSON)
        .body(body)
        .post("/api/reports")
        .then()
        .statusCode(expectedStatus)
        .extract()
        .path("reportId");
  }

  private static String issueToken(String source) {
    return given()
        .auth()
        .preemptive()
        .basic("admin", "admin")
        .contentType(ContentType.JSON)
        .body(Map.of("source", source))
        .post("/api/admin/report-tokens")
        .then()
        .statusCode(201)
        .extract()
        .path("token");
  }
}
