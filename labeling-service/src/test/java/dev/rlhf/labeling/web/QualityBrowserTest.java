package dev.rlhf.labeling.web;

import static dev.rlhf.labeling.LabelingApi.next;
import static dev.rlhf.labeling.LabelingApi.prompts;
import static dev.rlhf.labeling.LabelingApi.rankingTask;
import static dev.rlhf.labeling.web.Seed.PASSWORD;
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
import org.openqa.selenium.support.ui.Select;

/** The console's contractor quality page in headless Chromium. */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedKafkaResource.class)
class QualityBrowserTest extends BrowserTestBase {

  private static String project;

  /**
   * Three contractors rank two tasks, two alike and one the reverse: four comparisons at 0 put the
   * reverser's agreement at most at 0.40 (95%), under chance, so they are flagged on agreement and
   * weigh nothing; the others' 0.5 over four comparisons may still be 0.6 or more.
   */
  @Test
  void shouldShowAReviewerEachContractorsAgreementTrustAndTheirDaysChart() {
    String researcher = user("researcher");
    project = LabelingApi.project(researcher, 1, 3);
    for (String prompt : prompts(researcher, project, "NONE", "Pick a fruit.", "Pick a pet.")) {
      rankingTask(researcher, project, prompt, "An apple.", "A rock.");
    }
    String agrees = user("contractor");
    String alsoAgrees = user("contractor");
    String reverses = user("contractor");
    for (int task = 0; task < 2; task++) {
      rank(agrees, "An apple.", "A rock.");
      rank(alsoAgrees, "An apple.", "A rock.");
      rank(reverses, "A rock.", "An apple.");
    }

    browser.signIn(user("reviewer"), PASSWORD, "/console.html#quality");
    browser.waitForPresent(By.cssSelector("#project option[value='" + project + "']"));
    new Select(browser.driver.findElement(By.id("project"))).selectByValue(project);

    browser.waitForText(By.cssSelector("table"), reverses);
    assertThat(cell(agrees, "Agreement with peers")).isEqualTo("50%");
    assertThat(cell(reverses, "Agreement with peers")).isEqualTo("0%");
    assertThat(cell(reverses, "Kendall's tau")).isEqualTo("-1.00");
    assertThat(cell(reverses, "Status")).isEqualTo("under threshold: agreement");
    assertThat(cell(reverses, "Trust weight")).isEqualTo("0.00");
    assertThat(cell(agrees, "Status")).isEqualTo("ok");
    assertThat(cell(agrees, "Trust weight")).isEqualTo("1.00");
    assertThat(browser.driver.findElement(By.cssSelector("p.notice")).getText())
        .contains("with 95% confidence given the gold answers and comparisons");
    assertThat(browser.driver.findElements(By.cssSelector(".chart canvas"))).hasSize(1);
    assertThat(browser.script("return !!window.Chart")).isEqualTo(true);
    browser.screenshot("console-quality");
  }

  /** Takes the contractor's next task and ranks its completions in this order of their texts. */
  private static void rank(String contractor, String... textsBestFirst) {
    JsonPath assignment = next(contractor, project);
    List<String> bestFirst = new java.util.ArrayList<>();
    for (String text : textsBestFirst) {
      bestFirst.add(assignment.getString("completions.find { it.text == '" + text + "' }.id"));
    }
    rank(contractor, assignment, bestFirst);
  }

  private static void rank(String contractor, JsonPath assignment, List<String> bestFirst) {
    Seed.as(contractor)
        .body(Map.of("order", bestFirst.stream().map(List::of).toList()))
        .post("/api/assignments/" + assignment.getString("assignmentId") + "/ranking")
        .then()
        .statusCode(201);
  }

  private static String cell(String username, String column) {
    return browser
        .driver
        .findElement(
            By.xpath(
                "//table[caption='Contractor quality']//tr[td[1]='"
                    + username
                    + "']/td[@data-title=\""
                    + column
                    + "\"]"))
        .getText();
  }
}
