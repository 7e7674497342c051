package dev.rlhf.labeling.web;

import static dev.rlhf.labeling.LabelingApi.prompts;
import static dev.rlhf.labeling.LabelingApi.rankingTask;
import static dev.rlhf.labeling.web.Seed.PASSWORD;
import static dev.rlhf.labeling.web.Seed.as;
import static dev.rlhf.labeling.web.Seed.user;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rlhf.labeling.LabelingApi;
import dev.rlhf.testing.EmbeddedKafkaResource;
import dev.rlhf.testing.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Gold tasks in headless Chromium: a researcher sets the gold rate and marks a ranking task's
 * required pair, another's full order and a demonstration's checklist on the console's Gold tasks
 * page; a reviewer sees which tasks are gold but cannot mark; a contractor never reaches the page;
 * a reviewer scores a gold demonstration answer on its checklist in the review queue.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedKafkaResource.class)
class GoldBrowserTest extends BrowserTestBase {

  @Test
  void shouldLetAResearcherMarkGoldTasksAndShowReviewersWhichAreGold() {
    String researcher = user("researcher");
    String project = LabelingApi.project(researcher, 1, 1);
    List<String> ranked =
        prompts(researcher, project, "NONE", "Pick a <b>fruit</b>.", "Pick a colour.");
    rankingTask(researcher, project, ranked.get(0), "An apple.", "A rock.");
    rankingTask(researcher, project, ranked.get(1), "Red.", "Loud.");
    prompts(researcher, project, "DEMONSTRATION", "Who wrote Hamlet?");
    Map<String, String> tasks = tasksByPrompt(researcher, project);

    browser.signIn(researcher, PASSWORD, "/console.html#gold");
    choose(project);
    WebElement rate = browser.waitFor(By.id("gold-rate"));
    rate.clear();
    rate.sendKeys("0.25");
    browser.driver.findElement(By.cssSelector(".gold-rate-form button")).click();
    browser.waitForText(By.id("status"), "Gold rate saved.");
    browser.waitForText(By.id("gold-rate-value"), "25.0%");

    // A required pair: the rock over the apple.
    WebElement fruit = card(tasks.get("Pick a <b>fruit</b>."));
    fruit.findElement(By.cssSelector("details.mark-gold summary")).click();
    new Select(fruit.findElement(By.cssSelector("select.better"))).selectByVisibleText("A rock.");
    new Select(fruit.findElement(By.cssSelector("select.worse"))).selectByVisibleText("An apple.");
    fruit.findElement(By.cssSelector(".mark-pair button")).click();
    browser.waitForText(By.id("status"), "Gold answer saved.");
    waitUntil(
        () ->
            !card(tasks.get("Pick a <b>fruit</b>."))
                .findElements(By.cssSelector(".gold-pair"))
                .isEmpty());
    fruit = card(tasks.get("Pick a <b>fruit</b>."));
    assertThat(fruit.findElement(By.cssSelector(".gold-pair")).getText())
        .isEqualTo("Required pair: A rock. over An apple.");
    assertThat(fruit.findElements(By.cssSelector(".conversation b"))).isEmpty();

    // A full order: ranks typed as numbers, the second completion first.
    WebElement colour = card(tasks.get("Pick a colour."));
    colour.findElement(By.cssSelector("details.mark-gold summary")).click();
    List<WebElement> ranks = colour.findElements(By.cssSelector(".mark-order input"));
    ranks.get(0).clear();
    ranks.get(0).sendKeys("2");
    ranks.get(1).clear();
    ranks.get(1).sendKeys("1");
    colour.findElement(By.cssSelector(".mark-order button")).click();
    waitUntil(
        () ->
            card(tasks.get("Pick a colour.")).findElements(By.cssSelector(".gold-order li")).size()
                == 2);
    assertThat(
            card(tasks.get("Pick a colour."))
                .findElements(By.cssSelector(".gold-order li"))
                .stream()
                .map(WebElement::getText))
        .containsExactly("Loud.", "Red.");

    // A checklist: one item per line, stored and shown as text.
    WebElement hamlet = card(tasks.get("Who wrote Hamlet?"));
    hamlet.findElement(By.cssSelector("details.mark-gold summary")).click();
    hamlet
        .findElement(By.cssSelector("textarea.checklist-input"))
        .sendKeys("Names Shakespeare\n\n<b>Stays polite</b>\n");
    hamlet.findElement(By.cssSelector(".mark-checklist button")).click();
    waitUntil(
        () ->
            !card(tasks.get("Who wrote Hamlet?"))
                .findElements(By.cssSelector(".gold-checklist li"))
                .isEmpty());
    hamlet = card(tasks.get("Who wrote Hamlet?"));
    assertThat(
            hamlet.findElements(By.cssSelector(".gold-checklist li")).stream()
                .map(WebElement::getText))
        .containsExactly("Names Shakespeare", "<b>Stays polite</b>");
    assertThat(hamlet.findElements(By.cssSelector(".gold-checklist b"))).isEmpty();
    browser.waitForText(By.id("gold-task-count"), "3");
    browser.screenshot("console-gold");

    as(researcher)
        .get("/api/tasks/" + tasks.get("Pick a colour.") + "/gold")
        .then()
        .statusCode(200)
        .body("answer.order.size()", org.hamcrest.Matchers.equalTo(2));
    as(researcher)
        .get("/api/projects/" + project + "/gold-rate")
        .then()
        .body("rate", org.hamcrest.Matchers.equalTo(0.25f));

    String reviewer = user("reviewer");
    browser.signIn(reviewer, PASSWORD, "/console.html#gold");
    choose(project);
    browser.waitFor(By.cssSelector("article.gold-task"));
    assertThat(browser.driver.findElements(By.cssSelector("article.gold-task .badge.gold")))
        .hasSize(3);
    assertThat(browser.driver.findElements(By.cssSelector("details.mark-gold"))).isEmpty();
    assertThat(browser.driver.findElements(By.id("gold-rate"))).isEmpty();
    assertThat(browser.driver.findElement(By.id("gold-rate-value")).getText()).isEqualTo("25.0%");

    String contractor = user("contractor");
    browser.signIn(contractor, PASSWORD, "/console.html#gold");
    new WebDriverWait(browser.driver, java.time.Duration.ofSeconds(15))
        .until(ExpectedConditions.urlContains("/workbench.html"));
    assertThat(browser.driver.findElements(By.cssSelector("article.gold-task"))).isEmpty();
  }

  @Test
  void shouldLetAReviewerScoreAGoldDemonstrationOnItsChecklist() {
    String researcher = user("researcher");
    String project = LabelingApi.project(researcher, 1, 1);
    String prompt = prompts(researcher, project, "DEMONSTRATION", "Who wrote Hamlet?").get(0);
    String task = tasksByPrompt(researcher, project).get("Who wrote Hamlet?");
    as(researcher)
        .body(
            Map.of(
                "checklist",
                List.of("Names Shakespeare", "<img src=x onerror=\"window.__xss=1\">Polite")))
        .put("/api/tasks/" + task + "/gold")
        .then()
        .statusCode(200);
    as(researcher)
        .body(Map.of("rate", 1))
        .put("/api/projects/" + project + "/gold-rate")
        .then()
        .statusCode(200);
    String contractor = user("contractor");
    JsonPath assignment = LabelingApi.next(contractor, project);
    assertThat(assignment.getString("promptId")).isEqualTo(prompt);
    String label =
        as(contractor)
            .body(Map.of("response", "Shakespeare. Now go away."))
            .post("/api/assignments/" + assignment.getString("assignmentId") + "/demonstration")
            .then()
            .statusCode(201)
            .extract()
            .path("labelId");

    browser.signIn(user("reviewer"), PASSWORD, "/review/?project=" + project);
    WebElement item =
        browser.waitFor(By.cssSelector("article.review-item[data-label='" + label + "']"));
    assertThat(item.getText()).contains("gold task").contains("gold answer to score");
    List<WebElement> items = item.findElements(By.cssSelector(".checklist li"));
    assertThat(items.stream().map(i -> i.findElement(By.cssSelector(".item-text")).getText()))
        .containsExactly("Names Shakespeare", "<img src=x onerror=\"window.__xss=1\">Polite");
    assertThat(item.findElements(By.cssSelector(".checklist img"))).isEmpty();

    item.findElement(By.cssSelector("button.primary")).click();
    browser.waitForText(By.id("status"), "score each of the gold task's 2 checklist items");
    items.get(0).findElement(By.cssSelector("input[value='met']")).click();
    items.get(1).findElement(By.cssSelector("input[value='not-met']")).click();
    item.findElement(By.cssSelector("button.primary")).click();
    browser.waitForText(By.id("status"), "Label accepted.");
    assertThat(browser.script("return window.__xss === undefined")).isEqualTo(true);

    as(researcher)
        .queryParam("project", project)
        .get("/api/quality/contractors")
        .then()
        .statusCode(200)
        .body(
            "contractors.find { it.username == '" + contractor + "' }.goldAnswers",
            org.hamcrest.Matchers.equalTo(1))
        .body(
            "contractors.find { it.username == '" + contractor + "' }.goldAccuracy",
            org.hamcrest.Matchers.equalTo(0.5f));
  }

  /** The project's tasks by their prompt's text, as the gold page's API lists them. */
  private static Map<String, String> tasksByPrompt(String researcher, String project) {
    JsonPath list =
        as(researcher)
            .get("/api/projects/" + project + "/gold-tasks")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    Map<String, String> byPrompt = new java.util.HashMap<>();
    for (int i = 0; i < list.getList("taskId").size(); i++) {
      byPrompt.put(
          list.getString("[" + i + "].conversation[-1].text"),
          list.getString("[" + i + "].taskId"));
    }
    return byPrompt;
  }

  private static void choose(String project) {
    browser.waitForPresent(By.cssSelector("#project option[value='" + project + "']"));
    new Select(browser.driver.findElement(By.id("project"))).selectByValue(project);
  }

  private static WebElement card(String taskId) {
    return browser.waitFor(By.cssSelector("article.gold-task[data-task='" + taskId + "']"));
  }

  private static void waitUntil(java.util.function.BooleanSupplier condition) {
    new WebDriverWait(browser.driver, java.time.Duration.ofSeconds(15))
        .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
        .until(d -> condition.getAsBoolean());
  }
}
