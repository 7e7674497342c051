package dev.rlhf.runtime.rest;

import static dev.rlhf.runtime.RuntimeApi.given;
import static dev.rlhf.runtime.RuntimeApi.post;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rlhf.lm.tokenizer.ByteTokenizer;
import dev.rlhf.lm.tokenizer.ChatTemplate;
import dev.rlhf.lm.tokenizer.Turn;
import dev.rlhf.runtime.RuntimeApi;
import dev.rlhf.runtime.TinyCheckpoints;
import dev.rlhf.testing.EmbeddedKafkaResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(EmbeddedKafkaResource.class)
@QuarkusTestResource(TinyCheckpoints.class)
class CompletionsApiTest {

  @BeforeEach
  void ready() {
    RuntimeApi.awaitReady();
  }

  @Test
  void shouldAnswerACompletionInOpenAisShape() {
    JsonPath body =
        post("/v1/completions", Map.of("prompt", "Once upon a time", "max_tokens", 8, "seed", 1))
            .then()
            .statusCode(200)
            .contentType("application/json")
            .extract()
            .jsonPath();

    assertThat(body.getString("id")).startsWith("cmpl-");
    assertThat(body.getString("object")).isEqualTo("text_completion");
    assertThat(body.getLong("created")).isPositive();
    assertThat(body.getString("model")).isEqualTo(RuntimeApi.defaultVersion());
    assertThat(body.getList("choices")).hasSize(1);
    assertThat(body.getInt("choices[0].index")).isZero();
    assertThat(body.getString("choices[0].text")).isNotNull();
    assertThat(body.getString("choices[0].finish_reason")).isIn("stop", "length");
    // "<|endoftext|>" then the 16 bytes of the prompt
    assertThat(body.getInt("usage.prompt_tokens")).isEqualTo(17);
    assertThat(body.getInt("usage.completion_tokens")).isBetween(1, 8);
    assertThat(body.getInt("usage.total_tokens"))
        .isEqualTo(body.getInt("usage.prompt_tokens") + body.getInt("usage.completion_tokens"));
  }

  @Test
  void shouldEncodeChatMessagesWithTheChatTemplate() {
    List<Map<String, String>> messages =
        List.of(
            Map.of("role", "system", "content", "Be brief."),
            Map.of("role", "user", "content", "What is 2 + 3?"));
    JsonPath body =
        post("/v1/chat/completions", Map.of("messages", messages, "max_tokens", 6, "seed", 3))
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();

    int templateLength =
        new ChatTemplate(new ByteTokenizer())
            .promptForCompletion(List.of(Turn.system("Be brief."), Turn.user("What is 2 + 3?")))
            .length;
    assertThat(body.getString("id")).startsWith("chatcmpl-");
    assertThat(body.getString("object")).isEqualTo("chat.completion");
    assertThat(body.getString("choices[0].message.role")).isEqualTo("assistant");
    assertThat(body.getString("choices[0].message.content")).isNotNull();
    assertThat(body.getString("choices[0].finish_reason")).isIn("stop", "length");
    assertThat(body.getInt("usage.prompt_tokens")).isEqualTo(templateLength);
  }

  @Test
  void shouldReturnNSamplesOfOnePrompt() {
    JsonPath body =
        post("/v1/completions", Map.of("prompt", "The cat", "n", 5, "max_tokens", 10))
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();

    List<Integer> indexes = body.getList("choices.index", Integer.class);
    assertThat(indexes).containsExactly(0, 1, 2, 3, 4);
    assertThat(new HashSet<>(body.getList("choices.text", String.class))).hasSizeGreaterThan(1);
  }

  @Test
  void shouldRepeatTheSameTextsForTheSameSeedAndDifferForAnother() {
    Map<String, Object> request =
        Map.of("prompt", "A dog", "n", 3, "max_tokens", 12, "temperature", 0.9, "seed", 42);
    List<String> first = texts(request);
    List<String> again = texts(request);
    Map<String, Object> otherSeed = new java.util.HashMap<>(request);
    otherSeed.put("seed", 43);

    assertThat(again).isEqualTo(first);
    assertThat(texts(otherSeed)).isNotEqualTo(first);
  }

  @Test
  void shouldStreamCompletionChunksThatJoinToTheSameTextAndEndWithDone() {
    Map<String, Object> request = Map.of("prompt", "Hello", "max_tokens", 12, "seed", 7);
    String expected = texts(request).get(0);
    Map<String, Object> streamed = new java.util.HashMap<>(request);
    streamed.put("stream", true);

    String sse =
        post("/v1/completions", streamed)
            .then()
            .statusCode(200)
            .contentType(org.hamcrest.Matchers.startsWith("text/event-stream"))
            .extract()
            .asString();

    List<String> events = events(sse);
    assertThat(events.get(events.size() - 1)).isEqualTo("[DONE]");
    StringBuilder joined = new StringBuilder();
    String finish = null;
    for (String event : events.subList(0, events.size() - 1)) {
      JsonPath chunk = JsonPath.from(event);
      assertThat(chunk.getString("object")).isEqualTo("text_completion");
      joined.append(chunk.getString("choices[0].text"));
      finish = chunk.getString("choices[0].finish_reason");
    }
    assertThat(joined.toString()).isEqualTo(expected);
    assertThat(finish).isIn("stop", "length");
  }

  @Test
  void shouldStreamSeveralChoicesThatEachJoinToTheirTextWithoutTheStopSequences() {
    Map<String, Object> request =
        Map.of(
            "prompt",
            "Once",
            "n",
            3,
            "max_tokens",
            20,
            "temperature",
            1.0,
            "seed",
            11,
            "stop",
            List.of("e", "a"));
    List<String> expected = texts(request);
    Map<String, Object> streamed = new java.util.HashMap<>(request);
    streamed.put("stream", true);

    List<String> events = events(post("/v1/completions", streamed).asString());

    assertThat(events.get(events.size() - 1)).isEqualTo("[DONE]");
    List<StringBuilder> joined =
        List.of(new StringBuilder(), new StringBuilder(), new StringBuilder());
    for (String event : events.subList(0, events.size() - 1)) {
      JsonPath chunk = JsonPath.from(event);
      String piece = chunk.getString("choices[0].text");
      assertThat(piece).doesNotContain("e", "a");
      joined.get(chunk.getInt("choices[0].index")).append(piece);
    }
    assertThat(joined).extracting(StringBuilder::toString).isEqualTo(expected);
  }

  @Test
  void shouldStreamChatChunksWithTheAssistantRoleFirst() {
    Map<String, Object> request =
        Map.of(
            "messages",
            List.of(Map.of("role", "user", "content", "Hi")),
            "max_tokens",
            8,
            "seed",
            5,
            "stream",
            true);

    List<String> events = events(post("/v1/chat/completions", request).asString());

    assertThat(events.get(events.size() - 1)).isEqualTo("[DONE]");
    JsonPath first = JsonPath.from(events.get(0));
    assertThat(first.getString("object")).isEqualTo("chat.completion.chunk");
    assertThat(first.getString("choices[0].delta.role")).isEqualTo("assistant");
    JsonPath last = JsonPath.from(events.get(events.size() - 2));
    assertThat(last.getString("choices[0].finish_reason")).isIn("stop", "length");
  }

  @Test
  void shouldReadWhatNewerOpenAiClientsSendTheSameAsTheOlderForm() {
    List<Map<String, String>> plain =
        List.of(
            Map.of("role", "system", "content", "Be brief."),
            Map.of("role", "user", "content", "What is 2 + 3?"));
    List<Map<String, Object>> newer =
        List.of(
            Map.of("role", "developer", "content", "Be brief."),
            Map.of(
                "role",
                "user",
                "content",
                List.of(
                    Map.of("type", "text", "text", "What is "),
                    Map.of("type", "text", "text", "2 + 3?"))));
    JsonPath before =
        post("/v1/chat/completions", Map.of("messages", plain, "max_tokens", 3, "seed", 5))
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    JsonPath after =
        post(
                "/v1/chat/completions",
                Map.of("messages", newer, "max_completion_tokens", 3, "seed", 5))
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();

    assertThat(after.getInt("usage.prompt_tokens")).isEqualTo(before.getInt("usage.prompt_tokens"));
    assertThat(after.getInt("usage.completion_tokens")).isLessThanOrEqualTo(3);
    assertThat(after.getString("choices[0].message.content"))
        .isEqualTo(before.getString("choices[0].message.content"));
  }

  @Test
  void shouldListTheServedVersionsWithOneDefault() {
    JsonPath body = given().get("/v1/models").then().statusCode(200).extract().jsonPath();

    assertThat(body.getString("object")).isEqualTo("list");
    assertThat(body.getList("data.id", String.class)).contains(TinyCheckpoints.BASE);
    assertThat(body.getList("data.object", String.class)).containsOnly("model");
    assertThat(body.getList("data.owned_by", String.class)).containsOnly("rlhf-platform");
    assertThat(body.getList("data.created", Long.class))
        .allSatisfy(created -> assertThat(created).isPositive());
    assertThat(body.getList("data.findAll { it.default == true }")).hasSize(1);
  }

  @Test
  void shouldExposeGenerationSpeedAndRequestCountsAsMetrics() {
    post("/v1/completions", Map.of("prompt", "Metrics", "max_tokens", 4)).then().statusCode(200);

    String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();

    assertThat(metrics)
        .contains("rlhf_runtime_generation_tokens_per_second_count")
        .contains("rlhf_runtime_generated_tokens_total")
        .contains("rlhf_runtime_queue_depth")
        .containsPattern("rlhf_runtime_requests_total\\{[^}]*status=\"200\"");
  }

  private static List<String> texts(Map<String, Object> request) {
    return post("/v1/completions", request)
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .getList("choices.text", String.class);
  }

  private static List<String> events(String sse) {
    List<String> events = new ArrayList<>();
    for (String line : sse.split("\n")) {
      if (line.startsWith("data: ")) {
        events.add(line.substring("data: ".length()));
      }
    }
    return events;
  }
}
