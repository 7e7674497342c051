package dev.rlhf.labeling.web;

import static dev.rlhf.labeling.LabelingApi.prompts;
import static dev.rlhf.labeling.web.Seed.PASSWORD;
import static dev.rlhf.labeling.web.Seed.project;
import static dev.rlhf.labeling.web.Seed.user;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rlhf.events.EventCodec;
import dev.rlhf.labeling.LabelingApi;
import dev.rlhf.testing.EmbeddedKafkaResource;
import dev.rlhf.testing.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The researcher console in headless Chromium against the running service. */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedKafkaResource.class)
class ConsoleBrowserTest extends BrowserTestBase {

  private String researcher;

  @BeforeEach
  void createAccounts() {
    researcher = user("researcher");
  }

  @Test
  void shouldImportPromptsFromAFileAndReportEveryRefusedRow() throws IOException {
    String project = project(researcher, "# Guidelines\n\nBe concise.");
    Path file = Files.createTempFile("prompts", ".jsonl");
    Files.writeString(
        file,
        String.join(
            "\n",
            LabelingApi.json(Map.of("prompt", "What is the capital of France?")),
            "{not json",
            LabelingApi.json(
                Map.of("conversation", List.of(Map.of("role", "user", "text", "Hi!")))),
            LabelingApi.json(Map.of("source", "no prompt at all"))));

    signIn(project, "#import");
    browser.waitFor(By.cssSelector("input[type=file]")).sendKeys(file.toAbsolutePath().toString());
    browser.driver.findElement(By.cssSelector(".import-form button[type=submit]")).click();

    browser.waitForText(By.cssSelector(".report .summary"), "2 accepted, 2 refused.");
    List<String> rows =
        browser.driver.findElements(By.cssSelector(".report tbody tr")).stream()
            .map(WebElement::getText)
            .toList();
    assertThat(rows).hasSize(2);
    assertThat(rows.get(0)).startsWith("2").contains("not valid JSON");
    assertThat(rows.get(1)).startsWith("4").contains("conversation or prompt is required");
    browser.screenshot("console-import");
    Files.deleteIfExists(file);
  }

  @Test
  void shouldShowTheDashboardDataAndWorkersOfAProjectWithLabels() {
    String project = project(researcher, "# Guidelines\n\nBe concise.");
    prompts(researcher, project, "DEMONSTRATION", "Say hi.", "Count to three.", "Name a fruit.");
    String contractor = user("contractor");
    String assignment =
        Seed.as(contractor)
            .queryParam("project", project)
            .post("/api/tasks/next")
            .then()
            .statusCode(200)
            .extract()
            .path("assignmentId");
    Seed.as(contractor)
        .body(Map.of("response", "<b>Hi</b> there!"))
        .post("/api/assignments/" + assignment + "/demonstration")
        .then()
        .statusCode(201);

    signIn(project, "#dashboard");
    new WebDriverWait(browser.driver, Duration.ofSeconds(15))
        .until(d -> "3".equals(tile("Prompts")));
    assertThat(tile("Demonstrations")).isEqualTo("1");
    assertThat(tile("Informative preference pairs")).isEqualTo("0");
    assertThat(tile("Active contractors (24 h)")).isEqualTo("1");
    assertThat(browser.script("return !!window.Chart")).isEqualTo(true);
    browser.screenshot("console-dashboard");

    browser.driver.findElement(By.cssSelector("a[href='#labels']")).click();
    browser.waitForText(By.cssSelector(".results"), contractor);
    assertThat(browser.driver.findElement(By.cssSelector(".results td .untrusted")).getText())
        .isEqualTo("<b>Hi</b> there!");
    browser.screenshot("console-data");

    browser.driver.findElement(By.cssSelector("a[href='#workers']")).click();
    browser.waitForText(By.id("page"), "Include workers gone offline");
    browser.driver.findElement(By.cssSelector("a[href='#completions']")).click();
    browser.waitForText(By.cssSelector(".prompt-picker"), "Count to three.");
    browser.screenshot("console-completions");
  }

  @Test
  void shouldShowRatingsAsDataAndNumbersAndLinkTheirExport() throws Exception {
    String project = project(researcher, "# Guidelines\n\nBe concise.");
    String prompt = prompts(researcher, project, "NONE", "Name a primary colour.").get(0);
    LabelingApi.rankingTask(researcher, project, prompt, "Red.", "<i>Purple</i>.");
    String contractor = user("contractor");
    io.restassured.path.json.JsonPath task =
        Seed.as(contractor)
            .queryParam("project", project)
            .post("/api/tasks/next")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    String url = "/api/assignments/" + task.getString("assignmentId");
    String purple = task.getString("completions.find { it.text == '<i>Purple</i>.' }.id");
    Seed.as(contractor)
        .body(
            Map.of(
                "ratings",
                List.of(Map.of("completionId", purple, "helpful", 2, "flags", List.of("PII")))))
        .put(url + "/ratings")
        .then()
        .statusCode(200);
    Seed.as(contractor)
        .body(Map.of("order", List.of(task.getList("completions.id"))))
        .post(url + "/ranking")
        .then()
        .statusCode(201);

    signIn(project, "#dashboard");
    new WebDriverWait(browser.driver, Duration.ofSeconds(15))
        .until(d -> "1".equals(tile("Prompts")) && "1".equals(tile("Ratings")));
    assertThat(flagCount("PII")).isEqualTo("1");
    assertThat(flagCount("HARMFUL")).isEqualTo("0");

    browser.driver.findElement(By.cssSelector("a[href='#labels']")).click();
    new WebDriverWait(browser.driver, Duration.ofSeconds(15)).until(d -> resultRows() == 2);
    new Select(browser.waitFor(By.cssSelector(".filters select"))).selectByValue("RATING");
    browser.driver.findElement(By.cssSelector(".filters button[type=submit]")).click();
    new WebDriverWait(browser.driver, Duration.ofSeconds(15)).until(d -> resultRows() == 1);
    assertThat(browser.driver.findElement(By.cssSelector(".results td .untrusted")).getText())
        .isEqualTo("<i>Purple</i>.");
    assertThat(browser.driver.findElements(By.cssSelector(".results i"))).isEmpty();
    assertThat(browser.driver.findElement(By.cssSelector(".results .rating .flags")).getText())
        .isEqualTo("PII");
    assertThat(browser.driver.findElement(By.cssSelector(".results .rating")).getText())
        .contains("Helpful\n2", "Truthful\n–", "policy-v1");
    browser.screenshot("console-ratings");

    browser.driver.findElement(By.cssSelector("a[href='#exports']")).click();
    String href =
        browser.waitFor(By.cssSelector("a[download='ratings.jsonl']")).getDomAttribute("href");
    assertThat(href).startsWith("/api/exports/ratings?project=" + project);
    String jsonl = Seed.as(researcher).get(href).then().statusCode(200).extract().asString();
    assertThat(jsonl.strip().lines()).hasSize(1);
    JsonNode line = EventCodec.mapper().readTree(jsonl.strip());
    assertThat(line.get("completion").asText()).isEqualTo("<i>Purple</i>.");
    assertThat(line.get("flags").toString()).isEqualTo("[\"PII\"]");
    assertThat(line.get("annotator").asText()).isEqualTo(contractor);
  }

  @Test
  void shouldPublishANewGuidelineVersion() {
    String project = project(researcher, "# Guidelines\n\nBe concise.");

    signIn(project, "#projects");
    WebElement markdown = browser.waitFor(By.cssSelector(".project-detail textarea"));
    markdown.clear();
    markdown.sendKeys("# Guidelines\n\nBe concise and **polite**.");
    browser.driver.findElement(By.cssSelector(".project-detail button.primary")).click();

    browser.waitForText(By.id("status"), "Guidelines version 2 published.");
    browser.waitForText(By.cssSelector(".guideline-version[open] summary"), "Version 2");
    assertThat(
            browser
                .driver
                .findElement(By.cssSelector(".guideline-version[open] .markdown strong"))
                .getText())
        .isEqualTo("polite");
    browser.screenshot("console-projects");
  }

  @Test
  void shouldLetAResearcherHandOutTheMostUncertainRankingTasksFirst() {
    String project = project(researcher, "# Guidelines\n\nBe concise.");

    signIn(project, "#projects");
    Select order = new Select(browser.waitFor(By.cssSelector(".project-settings select")));
    assertThat(order.getFirstSelectedOption().getDomAttribute("value")).isEqualTo("random");
    order.selectByValue("uncertainty");
    browser.driver.findElement(By.cssSelector(".project-settings button[type=submit]")).click();

    browser.waitForText(By.id("status"), "Settings saved.");
    String name = Seed.as(researcher).get("/api/projects/" + project).then().extract().path("name");
    browser.waitForText(
        By.xpath(
            "//table[caption='Projects']//tr[td[1]='"
                + name
                + "']/td[@data-title='Ranking task order']"),
        "uncertainty");
    String saved =
        Seed.as(researcher).get("/api/projects/" + project).then().extract().path("selection");
    assertThat(saved).isEqualTo("uncertainty");
    browser.screenshot("console-project-settings");
  }

  private void signIn(String project, String page) {
    browser.signIn(researcher, PASSWORD, "/console.html" + page);
    browser.waitForPresent(By.cssSelector("#project option[value='" + project + "']"));
    new Select(browser.driver.findElement(By.id("project"))).selectByValue(project);
  }

  private static int resultRows() {
    return browser.driver.findElements(By.cssSelector(".results tbody tr")).size();
  }

  private static String flagCount(String flag) {
    return browser
        .driver
        .findElement(By.xpath("//section[@class='flag-counts']//tr[td[1]='" + flag + "']/td[2]"))
        .getText();
  }

  private static String tile(String label) {
    return browser
        .driver
        .findElement(By.xpath("//div[@class='tile'][dt='" + label + "']/dd"))
        .getText();
  }
}
