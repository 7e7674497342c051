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
import dev.rlhf.events.contract.TrainingMetrics;
import dev.rlhf.events.contract.TrainingRunCancelled;
import dev.rlhf.events.contract.TrainingRunRequested;
import dev.rlhf.events.contract.TrainingStage;
import dev.rlhf.labeling.LabelingApi;
import dev.rlhf.labeling.actors.Researcher;
import dev.rlhf.labeling.actors.ScriptedContractor;
import dev.rlhf.labeling.cycles.Labels;
import dev.rlhf.labeling.cycles.TrainerDouble;
import dev.rlhf.testing.EmbeddedKafkaResource;
import dev.rlhf.testing.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The training cycle pages in headless Chromium. The trainers are played by {@link TrainerDouble}
 * over the real broker: it reads the commands labeling-service publishes and answers with progress
 * and failures, as the trainers would.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedKafkaResource.class)
class CyclesBrowserTest extends BrowserTestBase {

  private static final String SCRIPT_SAMPLE = "<script>window.__xss='sample'</script>Once";
  private static final String IMAGE_SAMPLE = "<img src=x onerror=\"window.__xss='image'\"> upon";

  private String researcher;
  private String project;

  @BeforeEach
  void labelADemonstration() {
    researcher = user("researcher");
    project = LabelingApi.project(researcher, 1, 1);
    prompts(researcher, project, "DEMONSTRATION", "Tell a story.");
    ScriptedContractor contractor = ScriptedContractor.logIn(user("contractor"), PASSWORD);
    contractor.workThrough(
        project,
        "DEMONSTRATION",
        task -> {
          contractor.demonstrate(task, prompt -> "Once upon a time.");
          return true;
        });
  }

  @Test
  void shouldStartACycleWithTheDefaultsShownThenWatchItLiveFailAndReadTheSameAfterAReload() {
    browser.signIn(researcher, PASSWORD, "/cycles/");
    browser.waitFor(By.id("start"));
    Map<String, Map<String, String>> defaults =
        as(researcher).get("/api/cycles/defaults").then().statusCode(200).extract().path("");
    assertThat(defaults).containsOnlyKeys("SFT", "REWARD", "PPO", "DPO");
    for (Map.Entry<String, Map<String, String>> stage : defaults.entrySet()) {
      assertThat(shownHyperParameters(stage.getKey()))
          .as(stage.getKey() + " hyper-parameters")
          .isNotEmpty()
          .isEqualTo(stage.getValue());
    }

    browser.driver.findElement(By.cssSelector("input[name=stage][value=REWARD]")).click();
    browser.driver.findElement(By.cssSelector("input[name=stage][value=PPO]")).click();
    new Select(browser.driver.findElement(By.id("project-id"))).selectByValue(project);
    browser.driver.findElement(By.id("base-version")).sendKeys("demo-base");
    WebElement steps = browser.driver.findElement(By.name("hp:SFT:steps"));
    steps.clear();
    steps.sendKeys("5");
    browser.driver.findElement(By.cssSelector("#start button[type=submit]")).click();

    browser.waitForText(By.id("state"), "RUNNING");
    String cycle = browser.driver.getCurrentUrl().replaceFirst(".*[?&]id=", "");
    TrainingRunRequested run = TrainerDouble.command(cycle, TrainingStage.SFT);
    assertThat(run.baseVersion()).isEqualTo("demo-base");
    assertThat(run.hyperParameters())
        .containsEntry("steps", "5")
        .containsEntry("batch", defaults.get("SFT").get("batch"));
    assertThat(text("#summary")).contains("snapshot of 1 demonstrations and 0 rankings");

    try (TrainerDouble trainer = new TrainerDouble()) {
      trainer.progress(run, 1, 5, Map.of(TrainingMetrics.TRAIN_LOSS, 2.5), SCRIPT_SAMPLE);
      browser.waitForText(By.id("live"), "SFT step 1 of 5");
      trainer.progress(run, 2, 5, Map.of(TrainingMetrics.TRAIN_LOSS, 1.75), IMAGE_SAMPLE);
      browser.waitForText(By.id("live"), "SFT step 2 of 5");
      assertThat(legend("Loss")).containsExactly("SFT train_loss: 1.75 at step 2 (2 points)");
      assertThat(lossMarks()).isEqualTo(2);
      assertThat(samples()).containsExactly(IMAGE_SAMPLE, SCRIPT_SAMPLE);
      assertNothingRanFromTheSamples();
      browser.screenshot("cycle-progress");

      trainer.fail(run, "out of memory on <b>gpu:0</b>");
    }
    browser.waitForText(By.id("state"), "FAILED");
    String reason = "SFT failed: out of memory on <b>gpu:0</b>";
    browser.waitForText(By.id("reason"), reason);
    assertThat(text("#runs tr td:last-child")).isEqualTo("out of memory on <b>gpu:0</b>");
    assertThat(browser.driver.findElement(By.id("cancel")).isDisplayed()).isFalse();

    browser.driver.navigate().refresh();
    browser.waitForText(By.id("state"), "FAILED");
    browser.waitForText(By.id("live"), "finished");
    assertThat(text("#reason")).isEqualTo(reason);
    assertThat(legend("Loss")).containsExactly("SFT train_loss: 1.75 at step 2 (2 points)");
    assertThat(samples()).containsExactly(IMAGE_SAMPLE, SCRIPT_SAMPLE);
    assertNothingRanFromTheSamples();

    browser.open("/cycles/");
    WebElement row =
        browser
            .waitFor(By.cssSelector("#cycles a[href$='id=" + cycle + "']"))
            .findElement(By.xpath("ancestor::tr"));
    assertThat(row.getText())
        .contains(researcher, "SFT", "FAILED", "1 demonstrations, 0 rankings")
        .doesNotContain("REWARD");
  }

  @Test
  void shouldCancelARunningCycleAndTellItsTrainerToStop() {
    String cycle =
        as(researcher)
            .body(
                Map.of("projectId", project, "stages", List.of("SFT"), "baseVersion", "demo-base"))
            .post("/api/cycles")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    TrainingRunRequested run = TrainerDouble.command(cycle, TrainingStage.SFT);

    browser.signIn(researcher, PASSWORD, "/cycles/cycle.html?id=" + cycle);
    browser.waitForText(By.id("state"), "RUNNING");
    browser.waitFor(By.id("cancel")).click();
    assertThat(browser.confirm()).startsWith("Cancel this cycle?");

    browser.waitForText(By.id("state"), "CANCELLED");
    assertThat(text("#reason")).isEqualTo("cancelled by " + researcher);
    assertThat(browser.driver.findElement(By.id("cancel")).isDisplayed()).isFalse();
    assertThat(text("#runs tr td:nth-child(2)")).isEqualTo("CANCELLED");
    TrainerDouble.await(
        Topic.TRAINING_COMMANDS, TrainingRunCancelled.class, c -> c.runId().equals(run.runId()), 1);
    assertThat(as(researcher).get("/api/cycles/" + cycle).<String>path("state"))
        .isEqualTo("CANCELLED");
  }

  @Test
  void shouldChartWhatEachTrainerReportsUnderTheNamesItReportsThem() {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String reward = "rm-" + suffix;
    try (TrainerDouble trainer = new TrainerDouble()) {
      trainer.publish(
          reward, Kind.REWARD, "demo-base", null, null, TrainingStage.REWARD, List.of());
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> as(researcher).get("/api/models").<List<String>>path("version").contains(reward));
    String cycle =
        as(researcher)
            .body(
                Map.of(
                    "projectId",
                    project,
                    "stages",
                    List.of("SFT", "PPO"),
                    "baseVersion",
                    "demo-base",
                    "rewardVersion",
                    reward))
            .post("/api/cycles")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    browser.signIn(researcher, PASSWORD, "/cycles/cycle.html?id=" + cycle);
    browser.waitForText(By.id("state"), "RUNNING");

    try (TrainerDouble trainer = new TrainerDouble()) {
      TrainingRunRequested sft = TrainerDouble.command(cycle, TrainingStage.SFT);
      trainer.progress(
          sft,
          4,
          4,
          Map.of(TrainingMetrics.TRAIN_LOSS, 1.5, TrainingMetrics.VAL_LOSS, 1.625),
          "Once");
      browser.waitForText(By.id("live"), "SFT step 4 of 4");
      trainer.publish(sft, "sft-" + suffix);
      TrainingRunRequested ppo = TrainerDouble.command(cycle, TrainingStage.PPO);
      trainer.progress(
          ppo, 1, 3, Map.of(TrainingMetrics.REWARD_MEAN, 0.25, TrainingMetrics.KL, 0.5), "upon");
      browser.waitForText(By.id("live"), "PPO step 1 of 3");
    }
    // The version a stage made shows its evaluation against its parent, answers side by side.
    By sftResult = By.cssSelector(".stage-result[data-version='sft-" + suffix + "'] .evaluation");
    browser.waitForText(sftResult, "Evaluation passed against demo-base on 20 held-out prompts");
    assertThat(text(".stage-result[data-version='sft-" + suffix + "'] .evaluation"))
        .contains("judged by rm-judge", "12 / 5 / 3", "2.50 nats");
    assertThat(legend("Loss"))
        .containsExactlyInAnyOrder(
            "SFT train_loss: 1.5 at step 4 (1 point)", "SFT val_loss: 1.625 at step 4 (1 point)");
    assertThat(legend("Reward")).containsExactly("PPO reward_mean: 0.25 at step 1 (1 point)");
    assertThat(legend("KL to the reference policy"))
        .containsExactly("PPO kl: 0.5 at step 1 (1 point)");
  }

  @Test
  void shouldStartADpoCycleFromTheFormAndChartItsMarginLogProbabilitiesAndWarning() {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    ScriptedContractor ranker = ScriptedContractor.logIn(user("contractor"), PASSWORD);
    try (TrainerDouble runtime = new TrainerDouble()) {
      String prompt = Researcher.prompts(researcher, project, false, "Say hi").get(0);
      Labels.rank(runtime, researcher, ranker, project, prompt);
    }
    browser.signIn(researcher, PASSWORD, "/cycles/");
    browser.waitFor(By.id("start"));
    assertThat(shownHyperParameters("DPO")).containsEntry("lossType", "sigmoid");
    for (String stage : List.of("SFT", "REWARD", "PPO", "DPO")) {
      browser.driver.findElement(By.cssSelector("input[name=stage][value=" + stage + "]")).click();
    }
    new Select(browser.driver.findElement(By.id("project-id"))).selectByValue(project);
    browser.driver.findElement(By.id("base-version")).sendKeys("sft-" + suffix);
    WebElement beta = browser.driver.findElement(By.name("hp:DPO:beta"));
    beta.clear();
    beta.sendKeys("0.2");
    browser.driver.findElement(By.cssSelector("#start button[type=submit]")).click();

    browser.waitForText(By.id("state"), "RUNNING");
    String cycle = browser.driver.getCurrentUrl().replaceFirst(".*[?&]id=", "");
    TrainingRunRequested run = TrainerDouble.command(cycle, TrainingStage.DPO);
    assertThat(run.baseVersion()).isEqualTo("sft-" + suffix);
    // The project's one ranking gives the pairs; its demonstrations feed the ptx term.
    Map<String, Integer> counts = as(researcher).get("/api/cycles/" + cycle).path("snapshot");
    assertThat(counts).containsEntry("rankings", 1);
    assertThat(run.labelEventIds()).hasSize(counts.get("demonstrations") + 1);
    assertThat(run.hyperParameters()).containsEntry("beta", "0.2").containsEntry("epochs", "3");

    try (TrainerDouble trainer = new TrainerDouble()) {
      trainer.progress(
          run,
          10,
          30,
          Map.of(
              TrainingMetrics.REWARD_MARGIN,
              0.5,
              TrainingMetrics.HELDOUT_LOGP_CHOSEN,
              -42.0,
              TrainingMetrics.HELDOUT_ACCURACY,
              0.75,
              TrainingMetrics.CHOSEN_LOGP_FALLING,
              1.0),
          "Hi!");
      browser.waitForText(By.id("live"), "DPO step 10 of 30");
    }
    assertThat(legend("Implicit reward margin, chosen minus rejected (DPO)"))
        .containsExactly("DPO reward_margin: 0.5 at step 10 (1 point)");
    assertThat(legend("Log-probability of chosen and rejected responses (DPO)"))
        .containsExactly("DPO heldout_logp_chosen: -42 at step 10 (1 point)");
    assertThat(text("#warning")).contains("DPO step 10", "known DPO failure");
  }

  /** The hyper-parameters of a stage as the form shows them: label to pre-filled value. */
  private static Map<String, String> shownHyperParameters(String stage) {
    WebElement details =
        browser.driver.findElement(By.cssSelector("#hyper details[data-stage='" + stage + "']"));
    details.findElement(By.tagName("summary")).click();
    Map<String, String> shown = new LinkedHashMap<>();
    for (WebElement label : details.findElements(By.cssSelector(".hyper-parameter"))) {
      shown.put(
          label.findElement(By.tagName("span")).getText(),
          label.findElement(By.tagName("input")).getDomProperty("value"));
    }
    return shown;
  }

  private static List<String> legend(String chart) {
    return browser
        .driver
        .findElements(By.cssSelector("figure[data-chart='" + chart + "'] .legend li"))
        .stream()
        .map(WebElement::getText)
        .toList();
  }

  private static int lossMarks() {
    return browser
        .driver
        .findElements(By.cssSelector("figure[data-chart='Loss'] svg circle"))
        .size();
  }

  private static List<String> samples() {
    return browser.driver.findElements(By.cssSelector("#samples .sample")).stream()
        .map(WebElement::getText)
        .toList();
  }

  private static void assertNothingRanFromTheSamples() {
    assertThat(browser.driver.findElements(By.cssSelector("#samples img, #samples script")))
        .isEmpty();
    assertThat(browser.script("return window.__xss === undefined")).isEqualTo(true);
    assertThatThrownBy(() -> browser.driver.switchTo().alert())
        .isInstanceOf(NoAlertPresentException.class);
  }

  /**
   * The text of the first element matching {@code css}, read again if the page re-rendered it
   * between finding and reading (the cycle's live events replace the stage rows).
   */
  private static String text(String css) {
    return new WebDriverWait(browser.driver, Duration.ofSeconds(15))
        .ignoring(StaleElementReferenceException.class)
        .until(driver -> driver.findElement(By.cssSelector(css)).getText());
  }
}
