package dev.rlhf.labeling.web;

import static dev.rlhf.labeling.LabelingApi.as;
import static dev.rlhf.labeling.LabelingApi.prompts;
import static dev.rlhf.labeling.LabelingApi.user;
import static dev.rlhf.labeling.web.Seed.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.rlhf.events.Topic;
import dev.rlhf.events.contract.ModelVersionPublished.Kind;
import dev.rlhf.events.contract.PolicyVersionPromoted;
import dev.rlhf.events.contract.TrainingRunRequested;
import dev.rlhf.events.contract.TrainingStage;
import dev.rlhf.labeling.LabelingApi;
import dev.rlhf.labeling.actors.ScriptedContractor;
import dev.rlhf.labeling.cycles.TrainerDouble;
import dev.rlhf.testing.EmbeddedKafkaResource;
import dev.rlhf.testing.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;

/**
 * The model registry page in headless Chromium. Versions are published by {@link TrainerDouble}
 * over the real broker, as the trainers publish them.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedKafkaResource.class)
class ModelsBrowserTest extends BrowserTestBase {

  private static final String PROMPT = "<img src=x onerror=\"window.__xss='prompt'\"> Why blue?";
  private static final String RESPONSE = "<script>window.__xss='response'</script>Scattering.";

  @Test
  void shouldShowLineageBothWaysAndServeAPromotedVersion() {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String researcher = user("researcher");
    String contractor = user("contractor");
    String project = LabelingApi.project(researcher, 1, 1);
    prompts(researcher, project, "DEMONSTRATION", PROMPT);
    ScriptedContractor writer = ScriptedContractor.logIn(contractor, PASSWORD);
    writer.workThrough(
        project,
        "DEMONSTRATION",
        task -> {
          writer.demonstrate(task, prompt -> RESPONSE);
          return true;
        });
    String cycle =
        as(researcher)
            .body(
                Map.of("projectId", project, "stages", List.of("SFT"), "baseVersion", "demo-base"))
            .post("/api/cycles")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    String sft = "sft-" + suffix;
    // Version names are plain names (VersionName): markup arrives through prompts and responses.
    String child = "ppo-" + suffix;
    try (TrainerDouble trainer = new TrainerDouble()) {
      TrainingRunRequested run = TrainerDouble.command(cycle, TrainingStage.SFT);
      trainer.publish(run, sft);
      trainer.publish(
          child,
          Kind.POLICY,
          sft,
          null,
          null,
          TrainingStage.PPO,
          List.of(),
          Map.of("loss", 0.5),
          List.of("PPO stopped at step 8 (guard: overoptimization)"),
          TrainerDouble.evaluation(sft, false));
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> as(researcher).get("/api/models").<List<String>>path("version").contains(child));

    browser.signIn(researcher, PASSWORD, "/models/");
    WebElement row = version(sft);
    assertThat(cell(row, "Kind")).isEqualTo("POLICY");
    assertThat(cell(row, "Parent")).isEqualTo("demo-base");
    assertThat(cell(row, "Made by")).startsWith("SFT");
    assertThat(row.findElement(By.linkText("its cycle")).getDomAttribute("href"))
        .isEqualTo("/cycles/cycle.html?id=" + cycle);
    assertThat(cell(row, "Labels")).startsWith("1 demonstrations, 0 rankings");
    WebElement childRow = version(child);
    assertThat(childRow.findElement(By.cssSelector(".version")).getText()).isEqualTo(child);
    assertThat(cell(childRow, "Parent")).isEqualTo(sft);
    assertThat(cell(childRow, "Labels")).startsWith("0 demonstrations, 0 rankings");

    row.findElement(By.cssSelector("button[aria-label='List the labels that made " + sft + "']"))
        .click();
    browser.waitForText(By.cssSelector("#lineage h3"), "Labels that made " + sft + " (1)");
    WebElement label = browser.waitFor(By.cssSelector("#version-labels tbody tr"));
    assertThat(cell(label, "Type")).isEqualTo("DEMONSTRATION");
    assertThat(cell(label, "Trained into")).isEqualTo(sft);
    assertThat(cell(label, "Prompt")).isEqualTo(PROMPT);
    assertThat(cell(label, "Response")).isEqualTo(RESPONSE);
    assertThat(cell(label, "Contractor")).isEqualTo(contractor);
    String eventId = cell(label, "Label event");
    assertThat(eventId)
        .isEqualTo(as(researcher).get("/api/cycles/" + cycle + "/labels").path("[0].eventId"));
    browser.screenshot("models-lineage");

    label.findElement(By.cssSelector("button")).click();
    browser.waitForText(By.cssSelector("#lineage h3"), "Versions label " + eventId + " influenced");
    assertThat(browser.driver.findElements(By.cssSelector("#influenced li")))
        .extracting(WebElement::getText)
        .containsExactly(
            sft + " (POLICY, trained on it)", child + " (POLICY, through its lineage)");
    assertThat(browser.driver.findElements(By.cssSelector("#page img, #page script"))).isEmpty();
    assertThat(browser.script("return window.__xss === undefined")).isEqualTo(true);
    assertThatThrownBy(() -> browser.driver.switchTo().alert())
        .isInstanceOf(NoAlertPresentException.class);

    // Promoting shows the evaluation first; one that passed needs only a confirmation.
    assertThat(cell(version(sft), "Evaluation")).startsWith("passed: 12/5/3 vs demo-base");
    version(sft).findElement(By.cssSelector("button[aria-label='Promote " + sft + "']")).click();
    browser.waitForText(By.cssSelector("#version-detail .evaluation"), "Evaluation passed");
    assertThat(browser.driver.findElements(By.cssSelector("#version-detail textarea"))).isEmpty();
    browser.driver.findElement(By.cssSelector("#version-detail button[type=submit]")).click();
    assertThat(browser.confirm()).isEqualTo("Serve " + sft + " as the default policy?");
    browser.waitForText(By.id("status"), sft + " promoted;");
    assertThat(cell(version(sft), "Version")).isEqualTo(sft + " (served)");
    assertThat(version(sft).findElements(By.cssSelector("button[aria-label^='Promote']")))
        .isEmpty();
    assertThat(cell(version(child), "Version")).isEqualTo(child);
    assertThat(as(researcher).get("/api/models/" + sft).<Boolean>path("served")).isTrue();
    TrainerDouble.await(
        Topic.MODEL_VERSIONS, PolicyVersionPromoted.class, p -> p.version().equals(sft), 1);

    // One that did not pass shows why, its trainer's warnings and its answers beside its parent's,
    // and is promoted only with a reason, which the registry keeps.
    assertThat(cell(version(child), "Evaluation"))
        .startsWith("did not pass: 3/5/12 vs " + sft)
        .contains("1 warning(s)");
    version(child)
        .findElement(By.cssSelector("button[aria-label='Promote " + child + "']"))
        .click();
    browser.waitForText(By.cssSelector("#version-detail .evaluation"), "Evaluation did not pass");
    assertThat(browser.driver.findElement(By.cssSelector("#version-detail .warnings")).getText())
        .contains("PPO stopped at step 8 (guard: overoptimization)");
    assertThat(browser.driver.findElement(By.cssSelector("#version-detail .evaluation")).getText())
        .contains("loses to its parent under rm-judge: 3 wins, 5 ties, 12 losses")
        .contains("3 / 5 / 12");
    WebElement submit =
        browser.driver.findElement(By.cssSelector("#version-detail button[type=submit]"));
    assertThat(submit.getText()).isEqualTo("Promote " + child + " anyway");
    submit.click(); // without a reason the form does not send
    assertThat(as(researcher).get("/api/models/" + child).<Boolean>path("served")).isFalse();
    browser
        .driver
        .findElement(By.cssSelector("#version-detail textarea"))
        .sendKeys("the arena preferred it");
    submit.click();
    browser.waitForText(By.id("status"), child + " promoted;");
    assertThat(as(researcher).get("/api/models/" + child).jsonPath().getString("promotionOverride"))
        .isEqualTo("the arena preferred it");
    assertThat(cell(version(child), "Version")).isEqualTo(child + " (served)");

    // A review that rejects a label after the version trained on it: the version keeps its
    // lineage and says so.
    String labelId = Seed.labels(researcher, project).getString("[0].id");
    as(user("reviewer"))
        .body(Map.of("labelId", labelId, "decision", "REJECT", "reason", "wrong"))
        .post("/api/reviews")
        .then()
        .statusCode(201);
    browser.open("/models/");
    assertThat(version(sft).findElement(By.cssSelector(".later-reviewed")).getText())
        .isEqualTo("since trained: 1 rejected, 0 corrected by review");
    assertThat(cell(version(sft), "Labels")).startsWith("1 demonstrations, 0 rankings");
  }

  /** The registry's row of a version, once the table shows it. */
  private static WebElement version(String name) {
    browser.waitForPresent(By.cssSelector("#versions tr[data-version]"));
    return browser.driver.findElements(By.cssSelector("#versions tr[data-version]")).stream()
        .filter(tr -> name.equals(tr.getDomAttribute("data-version")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no row for version " + name));
  }

  private static String cell(WebElement row, String title) {
    return row.findElement(By.cssSelector("td[data-title='" + title + "']")).getText();
  }
}
