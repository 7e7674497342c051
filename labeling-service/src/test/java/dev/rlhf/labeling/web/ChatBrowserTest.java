package dev.rlhf.labeling.web;

import static dev.rlhf.labeling.web.Seed.PASSWORD;
import static dev.rlhf.labeling.web.Seed.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rlhf.labeling.reports.FakeChatRuntime;
import dev.rlhf.testing.EmbeddedKafkaResource;
import dev.rlhf.testing.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The chat page in headless Chromium. The model runtime is another service reached over HTTP; here
 * {@link FakeChatRuntime} stands in for it and answers "echo: " and the last message.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedKafkaResource.class)
@QuarkusTestResource(FakeChatRuntime.class)
class ChatBrowserTest extends BrowserTestBase {

  private String contractor;

  @BeforeEach
  void createAccount() {
    contractor = user("contractor");
  }

  @Test
  void shouldReportABadAnswerWithOneClickIntoTheReviewerQueue() {
    String question = "Is the earth flat? " + nonce();
    String answer = "echo: " + question + " (1 messages)";
    openChat();

    send(question);
    browser.waitForText(By.id("log"), answer);
    assertThat(turns()).containsExactly("YOU", question, "MODEL", answer);
    assertThat(browser.driver.findElement(By.cssSelector("#log .meta")).getText())
        .startsWith("model " + FakeChatRuntime.MODEL);
    browser.driver.findElement(By.xpath("//button[text()='Report this answer']")).click();
    new Select(browser.waitFor(By.cssSelector("select[aria-label='What is wrong']")))
        .selectByVisibleText("untruthful");
    browser.driver.findElement(By.cssSelector("input[aria-label=Note]")).sendKeys("It is round.");
    browser.driver.findElement(By.xpath("//button[text()='Send report']")).click();
    browser.waitForText(By.id("log"), "Thanks: reported for review.");
    browser.screenshot("chat-reported");

    browser.signIn(user("reviewer"), PASSWORD, "/reports/");
    WebElement card =
        browser.waitFor(
            By.xpath("//article[contains(@class,'report')][.//div[text()='" + question + "']]"));
    assertThat(card.findElement(By.cssSelector(".badge")).getText()).isEqualTo("untruthful");
    assertThat(card.findElement(By.cssSelector(".meta")).getText())
        .startsWith("chat · model " + FakeChatRuntime.MODEL);
    assertThat(
            card.findElements(By.cssSelector(".conversation .untrusted")).stream()
                .map(WebElement::getText))
        .containsExactly(question, answer);
    assertThat(card.findElement(By.cssSelector("p.untrusted")).getText())
        .isEqualTo("Note: It is round.");
  }

  @Test
  void shouldSayWhenTheSameAnswerWasAlreadyReported() {
    String question = "What is 2+2? " + nonce();
    openChat();
    for (int time = 0; time < 2; time++) {
      browser.driver.findElement(By.id("restart")).click();
      send(question);
      browser.waitFor(By.xpath("//button[text()='Report this answer']")).click();
      browser.waitFor(By.xpath("//button[text()='Send report']")).click();
      browser.waitForText(By.id("log"), "Thanks");
    }

    assertThat(browser.driver.findElement(By.id("log")).getText())
        .contains("Thanks: this answer was already reported (2 times now).");
  }

  @Test
  void shouldShowMessagesAndAnswersAsTextAndRunNothingFromThem() {
    String payload = "<img src=x onerror=\"window.__xss='chat'\"><script>window.__xss=1</script>";
    openChat();

    send(payload);

    String answer = "echo: " + payload + " (1 messages)";
    browser.waitForText(By.id("log"), answer);
    assertThat(turns()).containsExactly("YOU", payload, "MODEL", answer);
    assertThat(browser.driver.findElements(By.cssSelector("#log img, #log script"))).isEmpty();
    assertThat(browser.script("return window.__xss === undefined")).isEqualTo(true);
    assertThatThrownBy(() -> browser.driver.switchTo().alert())
        .isInstanceOf(NoAlertPresentException.class);
  }

  @Test
  void shouldKeepTheMessageAndSayWhyWhenTheRuntimeFails() {
    openChat();

    // The stand-in runtime answers HTTP 500 to "fail", as one without a loaded policy would.
    send("fail");

    browser.waitForText(By.id("status"), "the model runtime answered HTTP 500");
    assertThat(browser.driver.findElement(By.id("status")).getDomAttribute("data-kind"))
        .isEqualTo("error");
    assertThat(browser.driver.findElement(By.id("message")).getDomProperty("value"))
        .isEqualTo("fail");
    assertThat(browser.driver.findElements(By.cssSelector("#log .turn"))).isEmpty();
  }

  private void openChat() {
    browser.signIn(contractor, PASSWORD, "/chat/");
    browser.waitFor(By.id("message"));
  }

  private static void send(String text) {
    WebElement message = browser.driver.findElement(By.id("message"));
    message.sendKeys(text);
    browser.driver.findElement(By.cssSelector("#composer button[type=submit]")).click();
  }

  /** Role (as shown: upper case) and text of every turn in the log, in order. */
  private static List<String> turns() {
    return browser.driver.findElements(By.cssSelector("#log .turn")).stream()
        .flatMap(
            t ->
                List.of(
                    t.findElement(By.cssSelector(".role")).getText(),
                    t.findElement(By.cssSelector(".untrusted")).getText())
                    .stream())
        .toList();
  }

  private static String nonce() {
    return UUID.randomUUID().toString().substring(0, 8);
  }
}
