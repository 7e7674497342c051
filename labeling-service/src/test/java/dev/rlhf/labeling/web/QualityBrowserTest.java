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

  @Test
  void shouldShowAReviewerEachContractorsAgreementAndTheirDaysChart() {
    String researcher = user("researcher");
    String project = LabelingApi.project(researcher, 1, 2);
    String prompt = prompts(researcher, project, "NONE", "Pick a fruit.").get(0);
    rankingTask(researcher, project, prompt, "An apple.", "A rock.");
    String agrees = user("contractor");
    String reverses = user("contractor");
    JsonPath first = next(agrees, project);
    List<String> ids = first.getList("completions.id");
    rank(agrees, first, ids);
    rank(reverses, next(reverses, project), List.of(ids.get(1), ids.get(0)));

    browser.signIn(user("reviewer"), PASSWORD, "/console.html#quality");
    browser.waitForPresent(By.cssSelector("#project option[value='" + project + "']"));
    new Select(browser.driver.findElement(By.id("project"))).selectByValue(project);

    browser.waitForText(By.cssSelector("table"), reverses);
    assertThat(cell(agrees, "Agreement with peers")).isEqualTo("0%");
    assertThat(cell(reverses, "Kendall's tau")).isEqualTo("-1.00");
    assertThat(cell(reverses, "Status")).isEqualTo("under threshold");
    assertThat(browser.driver.findElements(By.cssSelector(".chart canvas"))).hasSize(1);
    assertThat(browser.script("return !!window.Chart")).isEqualTo(true);
    browser.screenshot("console-quality");
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
