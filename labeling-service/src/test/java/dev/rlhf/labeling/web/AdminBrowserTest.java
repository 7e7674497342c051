package dev.rlhf.labeling.web;

import static dev.rlhf.labeling.LabelingApi.admin;
import static dev.rlhf.labeling.LabelingApi.as;
import static dev.rlhf.labeling.LabelingApi.user;
import static dev.rlhf.labeling.web.Seed.PASSWORD;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rlhf.labeling.LabelingApi;
import dev.rlhf.testing.EmbeddedKafkaResource;
import dev.rlhf.testing.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** The admin's users and API tokens page in headless Chromium against the running service. */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedKafkaResource.class)
class AdminBrowserTest extends BrowserTestBase {

  private String admin;

  @BeforeEach
  void createAccounts() {
    admin = user("admin");
  }

  @Test
  void shouldCreateAUserShowingTheRefusalBesideTheFieldThenChangeRolesAndDeactivate() {
    browser.signIn(admin, PASSWORD, "/console.html");
    browser.waitFor(By.linkText("Users and tokens")).click();
    browser.waitFor(By.cssSelector("#users tr[data-username='" + admin + "']"));
    assertThat(row(admin).getText()).contains(admin + " (you)", "Active");
    assertThat(row(admin).findElements(By.xpath(".//button[text()='Deactivate']"))).isEmpty();
    assertThat(checkedRoles(row("admin"))).containsExactly("admin");

    String name = LabelingApi.unique("new.contractor");
    browser.driver.findElement(By.id("new-username")).sendKeys("no spaces allowed");
    browser.driver.findElement(By.id("new-password")).sendKeys("long enough, really");
    browser.driver.findElement(By.cssSelector("#new-user button[type=submit]")).click();
    browser.waitForText(By.id("error-username"), "username must be 2-64 letters, digits or ._@-");
    WebElement username = browser.driver.findElement(By.id("new-username"));
    assertThat(username.getDomAttribute("aria-invalid")).isEqualTo("true");
    assertThat(browser.driver.switchTo().activeElement()).isEqualTo(username);
    browser.screenshot("admin-users");

    username.clear();
    username.sendKeys(name);
    browser.driver.findElement(By.cssSelector("#new-user input[value=reviewer]")).click();
    browser.driver.findElement(By.cssSelector("#new-user button[type=submit]")).click();
    browser.waitForText(By.id("status"), name + " created with the roles contractor, reviewer.");
    assertThat(browser.driver.findElement(By.id("error-username")).getText()).isEmpty();
    assertThat(checkedRoles(row(name))).containsExactly("contractor", "reviewer");
    given()
        .auth()
        .preemptive()
        .basic(name, "long enough, really")
        .get("/api/me")
        .then()
        .statusCode(200);

    WebElement save = button(row(name), "Save roles");
    assertThat(save.isEnabled()).isFalse();
    row(name).findElement(By.cssSelector("input[aria-label='" + name + ": reviewer']")).click();
    row(name).findElement(By.cssSelector("input[aria-label='" + name + ": researcher']")).click();
    button(row(name), "Save roles").click();
    browser.waitForText(By.id("status"), name + " now has the roles contractor, researcher.");
    assertThat(checkedRoles(row(name))).containsExactly("contractor", "researcher");
    assertThat(
            admin()
                .get("/api/admin/users")
                .<List<String>>path("find { it.username == '" + name + "' }.roles"))
        .containsExactly("contractor", "researcher");

    button(row(name), "Deactivate").click();
    browser.waitForText(By.id("status"), name + " is deactivated and cannot sign in.");
    assertThat(row(name).getText()).contains("Deactivated");
    given()
        .auth()
        .preemptive()
        .basic(name, "long enough, really")
        .get("/api/me")
        .then()
        .statusCode(401);
    button(row(name), "Activate").click();
    browser.waitForText(By.id("status"), name + " is active and can sign in.");
    given()
        .auth()
        .preemptive()
        .basic(name, "long enough, really")
        .get("/api/me")
        .then()
        .statusCode(200);
  }

  @Test
  void shouldShowAnIssuedTokenOnceAndRefuseReportsSentWithItAfterItIsRevoked() {
    String source = "widget-" + UUID.randomUUID().toString().substring(0, 8);
    browser.signIn(admin, PASSWORD, "/admin/");
    browser.waitFor(By.id("token-source")).sendKeys("not a source!");
    browser.driver.findElement(By.cssSelector("#new-token button[type=submit]")).click();
    browser.waitForText(By.id("error-source"), "source must be 1-100 letters, digits or ._:-");

    WebElement field = browser.driver.findElement(By.id("token-source"));
    field.clear();
    field.sendKeys(source);
    browser.driver.findElement(By.cssSelector("#new-token button[type=submit]")).click();
    browser.waitFor(By.id("issued"));
    String token = browser.driver.findElement(By.id("issued-token")).getDomProperty("value");
    assertThat(token).startsWith("rlhf_rt_");
    assertThat(browser.driver.findElement(By.id("issued-label")).getText())
        .isEqualTo("Token for " + source);
    assertThat(browser.driver.findElement(By.id("error-source")).getText()).isEmpty();
    assertThat(tokenRow(source).getText()).contains(source, admin, "Live");
    report(token).then().statusCode(201);

    browser.driver.navigate().refresh();
    browser.waitFor(By.cssSelector("#tokens tr[data-token]"));
    assertThat(browser.driver.findElement(By.id("issued")).isDisplayed()).isFalse();
    assertThat(browser.driver.getPageSource()).doesNotContain(token);

    button(tokenRow(source), "Revoke").click();
    assertThat(browser.confirm()).startsWith("Revoke the token of " + source + "?");
    browser.waitForText(By.id("status"), "The token of " + source + " is revoked.");
    assertThat(tokenRow(source).getText()).contains("Revoked");
    assertThat(tokenRow(source).findElements(By.tagName("button"))).isEmpty();
    report(token).then().statusCode(401);
  }

  @Test
  void shouldResetAForgottenPasswordAndIssueARuntimeKeyShowingEachSecretOnce() {
    String contractor = user("contractor");
    browser.signIn(admin, PASSWORD, "/admin/");
    button(row(contractor), "Reset password").click();
    assertThat(browser.confirm()).startsWith("Give " + contractor + " a new temporary password?");
    browser.waitFor(By.id("issued"));
    String temporary = browser.driver.findElement(By.id("issued-token")).getDomProperty("value");
    assertThat(browser.driver.findElement(By.id("issued-label")).getText())
        .isEqualTo("Temporary password for " + contractor);
    given().auth().preemptive().basic(contractor, PASSWORD).get("/api/me").then().statusCode(401);
    given().auth().preemptive().basic(contractor, temporary).get("/api/me").then().statusCode(200);
    browser.driver.findElement(By.id("issued-done")).click();

    String name = "eval-" + UUID.randomUUID().toString().substring(0, 8);
    browser.driver.findElement(By.id("runtime-key-name")).sendKeys(name);
    browser.driver.findElement(By.cssSelector("#new-runtime-key button[type=submit]")).click();
    browser.waitForText(By.id("issued-label"), "Key for " + name);
    assertThat(browser.driver.findElement(By.id("issued-token")).getDomProperty("value"))
        .startsWith("rlhf_mk_");
    WebElement key =
        browser.waitForPresent(
            By.xpath(
                "//tbody[@id='runtime-keys']/tr[td[@data-title='Name' and text()='"
                    + name
                    + "']]"));
    assertThat(key.getText()).contains(admin, "Live");
    button(key, "Revoke").click();
    assertThat(browser.confirm()).startsWith("Revoke the key of " + name + "?");
    browser.waitForText(By.id("status"), "The key of " + name + " is revoked.");
  }

  @Test
  void shouldKeepThePageAndItsLinkFromEveryoneButAdmins() {
    String researcher = user("researcher");
    browser.signIn(researcher, PASSWORD, "/admin/");
    browser.waitFor(By.cssSelector("#sections a"));
    assertThat(browser.driver.getCurrentUrl()).endsWith("/console.html");
    assertThat(browser.driver.findElements(By.linkText("Users and tokens"))).isEmpty();
    as(researcher).get("/api/admin/users").then().statusCode(403);
  }

  private static io.restassured.response.Response report(String token) {
    return given()
        .header("Authorization", "Bearer " + token)
        .contentType(ContentType.JSON)
        .body(
            Map.of(
                "externalId",
                UUID.randomUUID().toString(),
                "conversation",
                List.of(
                    Map.of("role", "USER", "text", "Hi " + UUID.randomUUID()),
                    Map.of("role", "ASSISTANT", "text", "Go away")),
                "category",
                "UNHELPFUL",
                "severity",
                2))
        .post("/api/reports");
  }

  private static WebElement row(String username) {
    return browser.waitForPresent(By.cssSelector("#users tr[data-username='" + username + "']"));
  }

  private static WebElement tokenRow(String source) {
    return browser.waitForPresent(
        By.xpath("//tbody[@id='tokens']/tr[td[@data-title='Source' and text()='" + source + "']]"));
  }

  private static WebElement button(WebElement row, String text) {
    return row.findElement(By.xpath(".//button[text()='" + text + "']"));
  }

  private static List<String> checkedRoles(WebElement row) {
    return row.findElements(By.cssSelector("input[type=checkbox]")).stream()
        .filter(WebElement::isSelected)
        .map(box -> box.getDomProperty("value"))
        .toList();
  }
}
