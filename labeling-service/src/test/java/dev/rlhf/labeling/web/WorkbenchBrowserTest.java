package dev.rlhf.labeling.web;

import static dev.rlhf.labeling.LabelingApi.prompts;
import static dev.rlhf.labeling.LabelingApi.rankingTask;
import static dev.rlhf.labeling.web.Seed.PASSWORD;
import static dev.rlhf.labeling.web.Seed.labels;
import static dev.rlhf.labeling.web.Seed.project;
import static dev.rlhf.labeling.web.Seed.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rlhf.testing.EmbeddedKafkaResource;
import dev.rlhf.testing.EmbeddedPostgresResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The contractor workbench in headless Chromium against the running service. */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedKafkaResource.class)
class WorkbenchBrowserTest extends BrowserTestBase {

  private static final String GUIDELINES =
      "# Be helpful, truthful and harmless\n\nAnswer **the question asked**, politely.\n";

  @Inject EntityManager entityManager;

  private String researcher;
  private String contractor;

  @BeforeEach
  void createAccounts() {
    researcher = user("researcher");
    contractor = user("contractor");
  }

  @Test
  void shouldSubmitADemonstrationWithCtrlEnterAndOpenTheNextTaskBesideTheGuidelines() {
    String project = project(researcher, GUIDELINES);
    prompts(
        researcher, project, "DEMONSTRATION", "Write a haiku about autumn.", "What is 7 times 6?");

    signIn(project);
    WebElement heading = browser.waitFor(By.cssSelector("#guidelines-body h1"));
    assertThat(heading.getText()).isEqualTo("Be helpful, truthful and harmless");
    assertThat(browser.driver.findElement(By.cssSelector("#guidelines-body strong")).getText())
        .isEqualTo("the question asked");
    String firstPrompt = promptText();
    WebElement editor = browser.driver.findElement(By.cssSelector("textarea.editor"));
    assertThat(browser.driver.switchTo().activeElement()).isEqualTo(editor);
    editor.sendKeys("Crisp leaves drifting down");
    assertThat(browser.driver.findElement(By.cssSelector(".count")).getText())
        .isEqualTo("26 characters");
    browser.screenshot("workbench-demonstration");

    editor.sendKeys(Keys.chord(Keys.CONTROL, Keys.ENTER));

    browser.waitForText(By.id("status"), "Response submitted.");
    browser.waitForText(By.cssSelector("#progress .session-count"), "1");
    browser.waitForText(By.cssSelector("#progress .today"), "Today: 1 responses");
    assertThat(promptText()).isNotEqualTo(firstPrompt);
    JsonPath stored = labels(researcher, project);
    assertThat(stored.getList("type")).containsExactly("DEMONSTRATION");
    assertThat(stored.getString("[0].text")).isEqualTo("Crisp leaves drifting down");
  }

  @Test
  void shouldMoveOnWhenTheLeaseRanOutInsteadOfLeavingTheContractorStuck() {
    String project = project(researcher, GUIDELINES);
    prompts(researcher, project, "DEMONSTRATION", "Name a river.", "Name a mountain.");
    signIn(project);
    String first = promptText();
    // The lease of the task shown (the first one leased) ran out while the contractor was writing.
    QuarkusTransaction.requiringNew()
        .run(
            () ->
                entityManager
                    .createNativeQuery(
                        "update assignment set lease_expires_at = now() - interval '1 second'"
                            + " where id = (select a.id from assignment a join app_user u on"
                            + " u.id = a.contractor_id where u.username = ?1"
                            + " order by a.leased_at limit 1)")
                    .setParameter(1, contractor)
                    .executeUpdate());
    WebElement editor = browser.driver.findElement(By.cssSelector("textarea.editor"));
    editor.sendKeys("The Danube.");

    editor.sendKeys(Keys.chord(Keys.CONTROL, Keys.ENTER));

    browser.waitForText(By.id("status"), "Not saved: the lease expired at");
    new WebDriverWait(browser.driver, Duration.ofSeconds(15))
        .until(
            ExpectedConditions.not(
                ExpectedConditions.textToBe(
                    By.cssSelector(".conversation .turn-user .text"), first)));
    browser.driver.findElement(By.cssSelector("textarea.editor")).sendKeys("Mont Blanc.");
    browser
        .driver
        .findElement(By.cssSelector("textarea.editor"))
        .sendKeys(Keys.chord(Keys.CONTROL, Keys.ENTER));
    browser.waitForText(By.id("status"), "Response submitted.");
    JsonPath stored = labels(researcher, project);
    assertThat(stored.getList("text")).containsExactly("Mont Blanc.");
  }

  @Test
  void shouldRankByKeyboardWithNumberKeysAndATie() {
    String project = project(researcher, GUIDELINES);
    String prompt = prompts(researcher, project, "NONE", "What is 2 + 2?").get(0);
    rankingTask(researcher, project, prompt, "It is 5.", "It is 22.", "2 + 2 = 4.");

    signIn(project);
    WebElement third = card("Completion C");
    press(third, "1"); // C to the top: C, A, B
    press(card("Completion B"), "t"); // B ties with A
    assertThat(ranks()).containsExactly("#1", "#2 (tie)", "#2 (tie)");
    browser.screenshot("workbench-ranking");

    new Actions(browser.driver)
        .keyDown(Keys.CONTROL)
        .sendKeys(Keys.ENTER)
        .keyUp(Keys.CONTROL)
        .perform();

    browser.waitForText(By.id("status"), "Ranking submitted.");
    assertThat(rankOf(labels(researcher, project), "2 + 2 = 4.", prompt)).isEqualTo(1);
    assertThat(rankOf(labels(researcher, project), "It is 5.", prompt)).isEqualTo(2);
    assertThat(rankOf(labels(researcher, project), "It is 22.", prompt)).isEqualTo(2);
  }

  @Test
  void shouldLeaveATieAtItsPlaceWhenTheTiedCardMoves() {
    String project = project(researcher, GUIDELINES);
    String prompt = prompts(researcher, project, "NONE", "What is 3 + 3?").get(0);
    rankingTask(researcher, project, prompt, "6.", "Six.", "33.");

    signIn(project);
    press(card("Completion B"), "t"); // A and B tie: A, B, C
    assertThat(ranks()).containsExactly("#1 (tie)", "#1 (tie)", "#2");
    press(card("Completion B"), "3"); // B to the bottom: A, C, B, nothing tied any more
    assertThat(ranks()).containsExactly("#1", "#2", "#3");
    assertThat(
            browser.driver.findElement(By.cssSelector(".ranking li:last-child strong")).getText())
        .isEqualTo("Completion B");
  }

  @Test
  void shouldRankByDragAndDropWithARatingAndAFlag() {
    String project = project(researcher, GUIDELINES);
    String prompt = prompts(researcher, project, "NONE", "Name a primary colour.").get(0);
    rankingTask(researcher, project, prompt, "Green.", "Purple.", "Red.");

    signIn(project);
    WebElement handle = card("Completion C").findElement(By.cssSelector(".drag-handle"));
    WebElement top = card("Completion A").findElement(By.cssSelector(".drag-handle"));
    // In small steps, as a hand would: SortableJS follows the pointer move by move.
    int rise = handle.getRect().getY() - top.getRect().getY() + 12;
    Actions drag = new Actions(browser.driver).clickAndHold(handle);
    for (int step = 0; step < 10; step++) drag.moveByOffset(0, -rise / 10).pause(30);
    drag.pause(200).release().perform();
    browser.waitForText(By.cssSelector(".ranking li:first-child strong"), "Completion C");
    WebElement flagged = card("Completion B");
    flagged.findElement(By.cssSelector(".ratings summary")).click();
    flagged.findElement(By.cssSelector("select[aria-label^='Helpful']")).sendKeys("1");
    flagged.findElement(By.cssSelector("input[value=UNTRUTHFUL]")).click();

    browser.driver.findElement(By.cssSelector("form.answer button[type=submit]")).click();

    browser.waitForText(By.id("status"), "Ranking submitted.");
    JsonPath stored = labels(researcher, project);
    assertThat(rankOf(stored, "Red.", prompt)).isEqualTo(1);
    assertThat(rankOf(stored, "Green.", prompt)).isEqualTo(2);
    assertThat(rankOf(stored, "Purple.", prompt)).isEqualTo(3);
  }

  @Test
  void shouldSaveRatingsAsTheyAreGivenAndShowThemAgainAfterAReload() {
    String project = project(researcher, GUIDELINES);
    String prompt = prompts(researcher, project, "NONE", "Is the sky green?").get(0);
    rankingTask(researcher, project, prompt, "No, it is blue.", "<b>Yes</b>, always.");

    signIn(project);
    WebElement wrong = card("Completion B");
    wrong.findElement(By.cssSelector(".ratings summary")).click();
    new Select(wrong.findElement(By.cssSelector("select[aria-label^='Truthful']")))
        .selectByValue("1");
    wrong.findElement(By.cssSelector("input[value=UNTRUTHFUL]")).click();
    browser.waitForText(stateOf("Completion B"), "(saved)");

    browser.driver.navigate().refresh();

    WebElement reloaded = card("Completion B");
    assertThat(reloaded.findElement(By.cssSelector(".ratings")).getDomProperty("open"))
        .isEqualTo("true");
    assertThat(
            new Select(reloaded.findElement(By.cssSelector("select[aria-label^='Truthful']")))
                .getFirstSelectedOption()
                .getText())
        .isEqualTo("1");
    assertThat(
            new Select(reloaded.findElement(By.cssSelector("select[aria-label^='Helpful']")))
                .getFirstSelectedOption()
                .getText())
        .isEqualTo("–");
    assertThat(reloaded.findElement(By.cssSelector("input[value=UNTRUTHFUL]")).isSelected())
        .isTrue();
    assertThat(reloaded.findElement(By.cssSelector("input[value=PII]")).isSelected()).isFalse();
    assertThat(browser.driver.findElement(stateOf("Completion B")).getText()).isEqualTo("(saved)");
    assertThat(card("Completion A").findElement(By.cssSelector(".ratings")).getDomProperty("open"))
        .isEqualTo("false");
    browser.screenshot("workbench-ratings");

    reloaded.findElement(By.cssSelector("input[value=UNTRUTHFUL]")).click();
    reloaded.findElement(By.cssSelector("input[value=HARMFUL]")).click();
    browser.driver.findElement(By.cssSelector("form.answer button[type=submit]")).click();

    browser.waitForText(By.id("status"), "Ranking submitted.");
    JsonPath ratings =
        Seed.as(researcher)
            .queryParam("project", project)
            .queryParam("type", "RATING")
            .get("/api/labels")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(ratings.getList("text")).containsExactly("<b>Yes</b>, always.");
    assertThat(ratings.getInt("[0].rating.truthful")).isEqualTo(1);
    assertThat(ratings.getList("[0].rating.flags")).containsExactly("HARMFUL");
  }

  @Test
  void shouldSendABetterResponseWhenAllAreBad() {
    String project = project(researcher, GUIDELINES);
    String prompt = prompts(researcher, project, "NONE", "Say hello politely.").get(0);
    rankingTask(researcher, project, prompt, "Go away.", "Whatever.");

    signIn(project);
    browser.waitFor(By.cssSelector(".all-bad-toggle")).click();
    WebElement better = browser.waitFor(By.cssSelector(".all-bad textarea"));
    assertThat(browser.driver.switchTo().activeElement()).isEqualTo(better);
    better.sendKeys("Hello! How can I help you today?");
    browser.screenshot("workbench-all-bad");
    better.sendKeys(Keys.chord(Keys.CONTROL, Keys.ENTER));

    browser.waitForText(By.id("status"), "Better response submitted.");
    JsonPath stored = labels(researcher, project);
    assertThat(stored.getBoolean("[0].allBad")).isTrue();
    assertThat(stored.getString("[0].text")).isEqualTo("Hello! How can I help you today?");
  }

  @Test
  void shouldShowPromptsCompletionsAsTextAndRunNothingFromThem() {
    String guidelines = GUIDELINES + "\n<img src=x onerror=\"window.__xss='guidelines'\">\n";
    String project = project(researcher, guidelines);
    String promptText = "<img src=x onerror=\"window.__xss='prompt'\"> Is <b>this</b> bold?";
    String prompt = prompts(researcher, project, "NONE", promptText).get(0);
    String script = "<script>window.__xss='completion'</script>";
    String image = "<img src=x onerror=alert('xss')>";
    rankingTask(researcher, project, prompt, script, image);

    signIn(project);
    browser.waitForText(By.cssSelector(".ranking"), script);

    assertThat(promptText()).isEqualTo(promptText);
    assertThat(card("Completion A").findElement(By.cssSelector(".text")).getText())
        .isEqualTo(script);
    assertThat(card("Completion B").findElement(By.cssSelector(".text")).getText())
        .isEqualTo(image);
    assertThat(browser.driver.findElements(By.cssSelector("#task img, #task script, #task b")))
        .isEmpty();
    assertThat(browser.driver.findElements(By.cssSelector("#guidelines-body img[onerror]")))
        .isEmpty();
    assertThat(browser.script("return window.__xss === undefined")).isEqualTo(true);
    assertThatThrownBy(() -> browser.driver.switchTo().alert())
        .isInstanceOf(NoAlertPresentException.class);
    browser.screenshot("workbench-untrusted-text");
  }

  @Test
  void shouldFitAPhoneSizedScreen() {
    String project = project(researcher, GUIDELINES);
    String prompt =
        prompts(researcher, project, "NONE", "Which is longer, a day or a week?").get(0);
    rankingTask(researcher, project, prompt, "A week is longer: it has seven days.", "A day.");
    browser.size(375, 812);

    signIn(project);
    browser.waitFor(By.cssSelector(".ranking"));

    assertThat(browser.script("return document.documentElement.scrollWidth <= window.innerWidth"))
        .isEqualTo(true);
    assertThat(browser.driver.findElement(By.id("guidelines")).getDomAttribute("open")).isNull();
    browser.screenshot("workbench-phone");
  }

  private void signIn(String project) {
    browser.signIn(contractor, PASSWORD, "/workbench.html?project=" + project);
    browser.waitFor(By.cssSelector("#task form.answer"));
  }

  private static String promptText() {
    return browser.waitFor(By.cssSelector(".conversation .turn-user .text")).getText();
  }

  private static WebElement card(String label) {
    return browser.waitFor(By.cssSelector(".ranking li[aria-label^='" + label + "']"));
  }

  private static By stateOf(String label) {
    return By.cssSelector(".ranking li[aria-label^='" + label + "'] .rating-state");
  }

  private static void press(WebElement card, String key) {
    browser.script("arguments[0].focus()", card);
    new Actions(browser.driver).sendKeys(key).perform();
  }

  private static List<String> ranks() {
    return browser.driver.findElements(By.cssSelector(".ranking .rank")).stream()
        .map(WebElement::getText)
        .toList();
  }

  /** The rank the project's one ranking gave the completion with this text. */
  private int rankOf(JsonPath stored, String text, String prompt) {
    List<Map<String, Object>> completions =
        Seed.as(contractor)
            .get("/api/assignments")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getList("find { it.promptId == '" + prompt + "' }.completions");
    String id =
        completions.stream()
            .filter(c -> text.equals(c.get("text")))
            .map(c -> (String) c.get("id"))
            .findFirst()
            .orElseThrow();
    return stored.getInt("[0].ranks.find { it.completionId == '" + id + "' }.rank");
  }
}
