package dev.rlhf.runtime.rest;

import static dev.rlhf.runtime.RuntimeApi.post;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import dev.rlhf.runtime.RuntimeApi;
import dev.rlhf.runtime.TinyCheckpoints;
import dev.rlhf.testing.EmbeddedKafkaResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@QuarkusTest
@QuarkusTestResource(EmbeddedKafkaResource.class)
@QuarkusTestResource(TinyCheckpoints.class)
class BadInputTest {

  @BeforeEach
  void ready() {
    RuntimeApi.awaitReady();
  }

  static Stream<Arguments> badCompletionRequests() {
    return Stream.of(
        Arguments.of("n", 0),
        Arguments.of("n", 17),
        Arguments.of("temperature", -0.5),
        Arguments.of("top_p", 0),
        Arguments.of("top_p", 1.5),
        Arguments.of("max_tokens", 0),
        Arguments.of("max_tokens", TinyCheckpoints.CONTEXT + 1),
        Arguments.of("prompt", ""),
        Arguments.of("stop", List.of("")));
  }

  @ParameterizedTest(name = "{0} = {1}")
  @MethodSource("badCompletionRequests")
  void shouldRejectABadCompletionFieldWithAProblemNamingIt(String field, Object value) {
    Map<String, Object> request = new HashMap<>(Map.of("prompt", "Hello", "max_tokens", 4));
    request.put(field, value);

    post("/v1/completions", request)
        .then()
        .statusCode(400)
        .contentType(startsWith("application/problem+json"))
        .body("status", equalTo(400))
        .body("field", equalTo(field))
        // What the OpenAI clients read.
        .body("error.type", equalTo("invalid_request_error"))
        .body("error.param", equalTo(field))
        .body("error.message", not(emptyOrNullString()));
  }

  @Test
  void shouldNameTheFieldOfABodyThatDoesNotBindInsteadOfAnsweringAnEmpty400() {
    post("/v1/chat/completions", Map.of("messages", List.of(Map.of("role", "user")), "n", "two"))
        .then()
        .statusCode(400)
        .contentType(startsWith("application/problem+json"))
        .body("field", equalTo("n"))
        .body("error.param", equalTo("n"))
        .body("error.message", containsString("n has the wrong type"));
  }

  @Test
  void shouldReadTextContentPartsAndRefuseOthersNamingThePart() {
    List<Map<String, Object>> parts =
        List.of(
            Map.of("type", "text", "text", "Say "),
            Map.of("type", "image_url", "image_url", Map.of("url", "http://x/y.png")));
    post(
            "/v1/chat/completions",
            Map.of("messages", List.of(Map.of("role", "user", "content", parts))))
        .then()
        .statusCode(400)
        .body("field", equalTo("messages[0].content[1]"));
  }

  @Test
  void shouldRejectAPromptLongerThanTheContext() {
    post("/v1/completions", Map.of("prompt", "x".repeat(TinyCheckpoints.CONTEXT), "max_tokens", 1))
        .then()
        .statusCode(400)
        .body("field", equalTo("prompt"));
  }

  @Test
  void shouldRejectChatWithoutMessages() {
    post("/v1/chat/completions", Map.of("messages", List.of()))
        .then()
        .statusCode(400)
        .contentType(startsWith("application/problem+json"))
        .body("field", equalTo("messages"));
  }

  @Test
  void shouldRejectAChatMessageWithAnUnknownRole() {
    post(
            "/v1/chat/completions",
            Map.of("messages", List.of(Map.of("role", "robot", "content", "beep"))))
        .then()
        .statusCode(400)
        .body("field", equalTo("messages[0].role"));
  }

  @Test
  void shouldAnswerNotFoundForAnUnknownModel() {
    post("/v1/completions", Map.of("prompt", "Hello", "model", "no-such-version"))
        .then()
        .statusCode(404)
        .contentType(startsWith("application/problem+json"))
        .body("field", equalTo("model"))
        .body("error.code", equalTo("model_not_found"));
  }
}
