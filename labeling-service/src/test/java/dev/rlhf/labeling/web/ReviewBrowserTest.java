package dev.rlhf.labeling.web;

import static dev.rlhf.labeling.web.Seed.PASSWORD;
import static dev.rlhf.labeling.web.Seed.as;
import static dev.rlhf.labeling.web.Seed.project;
import static dev.rlhf.labeling.web.Seed.user;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rlhf.labeling.LabelingApi;
import dev.rlhf.testing.EmbeddedKafkaResource;
import dev.rlhf.testing.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/** Label review in headless Chromium: a reviewer rejects a label, its contractor reads why. */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedKafkaResource.class)
class ReviewBrowserTest extends BrowserTestBase {

  @Test
  void shouldRejectALabelOnlyWithAReasonAndShowItsContractorTheFeedbackAsText() {
    String researcher = user("researcher");
    String contractor = user("contractor");
    String reviewer = user("reviewer");
    String project = project(researcher, "# Be truthful\nNever invent facts.");
    as(researcher)
        .body(Map.of("reviewRate", 1))
        .put("/api/projects/" + project + "/review-rate")
        .then()
        .statusCode(200);
    LabelingApi.prompts(researcher, project, "DEMONSTRATION", "Who wrote <b>Hamlet</b>?");
    String response = "<img src=x onerror=\"window.__xss='response'\">Marlowe, surely";
    String label =
        as(contractor)
            .body(Map.of("response", response))
            .post(
                "/api/assignments/"
                    + LabelingApi.next(contractor, project).getString("assignmentId")
                    + "/demonstration")
            .then()
            .statusCode(201)
            .extract()
            .path("labelId");

    browser.signIn(reviewer, PASSWORD, "/review/?project=" + project);
    browser.waitForText(By.id("status"), "1 label to review.");
    assertThat(new Select(browser.waitFor(By.id("project"))).getFirstSelectedOption().getText())
        .startsWith("Project");
    String card = "article.review-item[data-label='" + label + "']";
    WebElement item = browser.waitFor(By.cssSelector(card));
    assertThat(item.findElement(By.cssSelector(".response")).getText()).isEqualTo(response);
    assertThat(item.findElement(By.cssSelector("details summary")).getText())
        .isEqualTo("Guidelines version 1");
    item.findElement(By.cssSelector("button.reject")).click();
    browser.waitForText(By.id("status"), "say why the label is rejected (reason)");
    browser.screenshot("review-queue");

    String reason = "<i>invented</i> the author";
    item.findElement(By.cssSelector("input.reason")).sendKeys(reason);
    item.findElement(By.cssSelector("button.reject")).click();
    browser.waitForText(By.id("status"), "Label rejected.");
    assertThat(browser.driver.findElements(By.cssSelector(card))).isEmpty();

    browser.signIn(contractor, PASSWORD, "/feedback/");
    WebElement row = browser.waitFor(By.cssSelector("tr[data-label='" + label + "']"));
    assertThat(row.findElement(By.cssSelector("td.outcome")).getText()).isEqualTo("rejected");
    assertThat(row.findElement(By.cssSelector("td.reason")).getText()).isEqualTo(reason);
    assertThat(browser.driver.findElements(By.cssSelector("#reviews img, #reviews i, #reviews b")))
        .isEmpty();
    assertThat(browser.script("return window.__xss === undefined")).isEqualTo(true);
    browser.screenshot("review-feedback");
  }
}
