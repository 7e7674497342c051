package dev.rlhf.labeling.security;

import static dev.rlhf.labeling.LabelingApi.admin;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rlhf.testing.EmbeddedKafkaResource;
import dev.rlhf.testing.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The headers every kind of answer carries, and how long each may be cached. */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedKafkaResource.class)
class SecurityHeadersTest {

  private static Map<String, Response> everyKindOfAnswer() {
    Map<String, Response> answers = new LinkedHashMap<>();
    answers.put("sign-in page", given().get("/"));
    answers.put("admin page", given().get("/admin/"));
    answers.put("own script", given().get("/js/api.js"));
    answers.put("library", given().get("/webjars/sortablejs/1.15.6/modular/sortable.esm.js"));
    answers.put("API", admin().get("/api/projects"));
    answers.put("API refusal", given().get("/api/projects"));
    answers.put("export", admin().get("/api/exports/sft"));
    answers.put("not found", given().get("/no/such/page"));
    answers.put(
        "CSRF refusal", given().contentType(ContentType.TEXT).body("x").post("/api/projects"));
    answers.put("health", given().get("/q/health/ready"));
    return answers;
  }

  @Test
  void shouldSendAStrictPolicyAgainstScriptsFramingAndSniffingWithEveryAnswer() {
    everyKindOfAnswer()
        .forEach(
            (what, answer) -> {
              String policy = answer.getHeader("Content-Security-Policy");
              assertThat(policy).as(what).contains("frame-ancestors 'none'", "script-src 'self'");
              assertThat(policy).as(what).doesNotContain("unsafe-inline", "unsafe-eval");
              assertThat(answer.getHeader("X-Frame-Options")).as(what).isEqualTo("DENY");
              assertThat(answer.getHeader("X-Content-Type-Options")).as(what).isEqualTo("nosniff");
              assertThat(answer.getHeader("Referrer-Policy")).as(what).isEqualTo("same-origin");
              assertThat(answer.getHeader("Strict-Transport-Security")).as(what).isNull();
            });
  }

  @Test
  void shouldAskForHttpsOnlyWhenReachedOverTls() {
    Response behindTlsProxy = given().header("X-Forwarded-Proto", "https").get("/");

    assertThat(behindTlsProxy.getHeader("Strict-Transport-Security")).contains("max-age=");
  }

  @Test
  void shouldRevalidatePagesAndScriptsKeepVersionedLibrariesAndNeverStoreTheApi() {
    Map<String, Response> answers = everyKindOfAnswer();

    assertThat(answers.get("sign-in page").getHeader("Cache-Control")).isEqualTo("no-cache");
    assertThat(answers.get("own script").getHeader("Cache-Control")).isEqualTo("no-cache");
    assertThat(answers.get("library").getHeader("Cache-Control"))
        .isEqualTo("public, max-age=31536000, immutable");
    assertThat(answers.get("API").getHeader("Cache-Control")).isEqualTo("no-store");
    assertThat(answers.get("export").getHeader("Cache-Control")).isEqualTo("no-store");
  }

  @Test
  void shouldAnswerAnUnchangedScriptWithNotModified() {
    Response first = given().get("/js/api.js");
    String lastModified = first.getHeader("Last-Modified");
    String etag = first.getHeader("ETag");
    assertThat(lastModified != null || etag != null).as("a validator").isTrue();

    var request = given();
    if (etag != null) request.header("If-None-Match", etag);
    if (lastModified != null) request.header("If-Modified-Since", lastModified);
    assertThat(request.get("/js/api.js").statusCode()).isEqualTo(304);
  }
}
