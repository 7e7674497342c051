package dev.rlhf.labeling.web;

import static dev.rlhf.labeling.LabelingApi.prompts;
import static dev.rlhf.labeling.LabelingApi.user;
import static dev.rlhf.labeling.web.Seed.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rlhf.events.Topic;
import dev.rlhf.events.contract.CompletionsRequested;
import dev.rlhf.labeling.LabelingApi;
import dev.rlhf.labeling.cycles.TrainerDouble;
import dev.rlhf.testing.EmbeddedKafkaResource;
import dev.rlhf.testing.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The version arena in headless Chromium: a researcher puts a prompt to two versions, the runtime
 * (played by {@link TrainerDouble} over the real broker) answers for each, a contractor picks the
 * better answer blind in the workbench, and the leaderboard counts the vote.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedKafkaResource.class)
class ArenaBrowserTest extends BrowserTestBase {

  private static final String GOOD = "1 + 1 = 2.";
  private static final String BAD = "<img src=x onerror=\"window.__xss='answer'\"> 1 + 1 = 3.";

  @Test
  void shouldLetAContractorPickTheBetterOfTwoBlindAnswersAndRankTheVersionsByIt() {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String winner = "gold-" + suffix;
    String loser = "<b>lead</b>-" + suffix;
    String researcher = user("researcher");
    String contractor = user("contractor");
    String project = LabelingApi.project(researcher, 1, 1);
    prompts(researcher, project, "NONE", "Add 1 and 1.");

    browser.signIn(researcher, PASSWORD, "/arena/");
    new Select(browser.waitFor(By.id("arena-project"))).selectByValue(project);
    browser.driver.findElement(By.id("version-a")).sendKeys(winner);
    browser.driver.findElement(By.id("version-b")).sendKeys(loser);
    WebElement prompts = browser.driver.findElement(By.id("arena-prompts"));
    prompts.clear();
    prompts.sendKeys("1");
    browser.driver.findElement(By.cssSelector("#matches button[type=submit]")).click();
    browser.waitForText(By.id("status"), "1 prompts sent to both versions");

    try (TrainerDouble runtime = new TrainerDouble()) {
      List<CompletionsRequested> requests =
          TrainerDouble.await(
              Topic.COMPLETION_REQUESTS,
              CompletionsRequested.class,
              // Requests for the served default policy name no version.
              r -> r.policyVersion() != null && Set.of(winner, loser).contains(r.policyVersion()),
              2);
      assertThat(requests).hasSize(2);
      for (CompletionsRequested r : requests) {
        runtime.answer(r, r.policyVersion().equals(winner) ? GOOD : BAD);
      }
    }

    browser.signIn(contractor, PASSWORD, "/workbench.html?project=" + project);
    browser.waitForText(By.cssSelector("#task h1"), "Pick the better completion");
    WebElement task = browser.waitFor(By.cssSelector("#task form.answer"));
    List<String> shown =
        task.findElements(By.cssSelector(".ranking .text")).stream()
            .map(WebElement::getText)
            .toList();
    assertThat(shown).containsExactlyInAnyOrder(GOOD, BAD);
    assertThat(browser.driver.findElement(By.id("task")).getText())
        .doesNotContain("gold", "lead", suffix);
    String better = shown.indexOf(GOOD) == 0 ? "Completion A" : "Completion B";
    browser.screenshot("arena-comparison");
    // The generic submit sends nothing until a choice is made: no verdict the contractor never
    // gave.
    task.findElement(By.cssSelector("button[type=submit]")).click();
    browser.waitForText(By.id("status"), "Choose which completion is better");
    assertThat(browser.driver.findElements(By.cssSelector("#task form.answer"))).hasSize(1);
    task.findElements(By.cssSelector(".choices button")).stream()
        .filter(b -> b.getText().equals(better + " is better"))
        .findFirst()
        .orElseThrow()
        .click();
    browser.waitForText(By.id("status"), "Choice submitted.");

    browser.signIn(researcher, PASSWORD, "/arena/");
    WebElement first = entry(winner);
    WebElement second = entry(loser);
    assertThat(second.findElement(By.cssSelector(".version")).getText()).isEqualTo(loser);
    assertThat(rank(first)).isLessThan(rank(second));
    for (WebElement row : List.of(first, second)) {
      double score = Double.parseDouble(cell(row, "Score"));
      String[] interval = cell(row, "95% interval").split(" – ");
      assertThat(Double.parseDouble(interval[0])).isLessThanOrEqualTo(score);
      assertThat(Double.parseDouble(interval[1])).isGreaterThanOrEqualTo(score);
      // One vote proves little: the interval says so instead of collapsing onto the score.
      assertThat(Double.parseDouble(interval[1])).isGreaterThan(Double.parseDouble(interval[0]));
      assertThat(cell(row, "Votes")).isEqualTo("1");
    }
    assertThat(Double.parseDouble(cell(first, "Score")))
        .isGreaterThan(Double.parseDouble(cell(second, "Score")));
    assertThat(List.of(cell(first, "Won"), cell(first, "Lost"))).containsExactly("1", "0");
    assertThat(List.of(cell(second, "Won"), cell(second, "Lost"))).containsExactly("0", "1");
    assertThat(browser.driver.findElements(By.cssSelector("#board b"))).isEmpty();
    assertThat(browser.script("return window.__xss === undefined")).isEqualTo(true);
    assertThatThrownBy(() -> browser.driver.switchTo().alert())
        .isInstanceOf(NoAlertPresentException.class);
    browser.screenshot("arena-leaderboard");
  }

  private static WebElement entry(String version) {
    browser.waitForPresent(By.cssSelector("#board tr[data-version]"));
    return browser.driver.findElements(By.cssSelector("#board tr[data-version]")).stream()
        .filter(tr -> version.equals(tr.getDomAttribute("data-version")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no leaderboard entry for " + version));
  }

  private static int rank(WebElement row) {
    return Integer.parseInt(cell(row, "#"));
  }

  private static String cell(WebElement row, String title) {
    return row.findElement(By.cssSelector("td[data-title='" + title + "']")).getText();
  }
}
