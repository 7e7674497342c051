package dev.rlhf.runtime.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.rlhf.runtime.RuntimeApi;
import dev.rlhf.runtime.TinyCheckpoints;
import dev.rlhf.testing.EmbeddedKafkaResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Bad bodies at the runtime's endpoints that read one, taken from its own OpenAPI document:
 * malformed JSON, bytes that are no UTF-8, the wrong JSON type at the top and in every field the
 * document names, huge strings, a body over the size limit. Each is refused 4xx with a problem body
 * that names no Java internals and carries the security headers. (The wrong types are ones the
 * OpenAI API itself refuses: the runtime reads numbers and text as leniently as OpenAI's clients
 * expect, so a random shape may be a fair request.)
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedKafkaResource.class)
@QuarkusTestResource(TinyCheckpoints.class)
class HostileBodiesTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String HUGE = "x".repeat(100_000);
  // Over quarkus.http.limits.max-body-size (10 MB by default).
  private static final int OVERSIZED = 11 * 1024 * 1024;

  @Test
  void shouldRefuseEveryBadBodyWithAProblemThatNamesNoInternals() throws Exception {
    RuntimeApi.awaitReady();
    Map<String, JsonNode> operations = operations();
    assertThat(operations).containsKeys("/v1/completions", "/v1/chat/completions");

    int requests = 0;
    for (Map.Entry<String, JsonNode> operation : operations.entrySet()) {
      for (byte[] body : badBodies(operation.getValue())) {
        Response answer =
            RuntimeApi.given().contentType("application/json").body(body).post(operation.getKey());
        assertRefused(operation.getKey(), body, answer);
        requests++;
      }
      assertThat(oversized(operation.getKey()))
          .as(operation.getKey() + " oversized")
          .startsWith("HTTP/1.1 413")
          .containsIgnoringCase("content-type: application/problem+json")
          .containsIgnoringCase("x-content-type-options: nosniff")
          .contains("\"status\":413");
    }
    assertThat(requests).isGreaterThan(30);
  }

  private static void assertRefused(String path, byte[] body, Response answer) {
    String what =
        path
            + " with "
            + new String(body, 0, Math.min(body.length, 120), StandardCharsets.UTF_8)
            + " -> "
            + answer.asString();
    assertThat(answer.statusCode()).as(what).isBetween(400, 499);
    assertThat(answer.contentType()).as(what).startsWith("application/problem+json");
    assertThat(answer.<Integer>path("status")).as(what).isEqualTo(answer.statusCode());
    assertThat(answer.<String>path("error.message")).as(what).isNotBlank();
    assertThat(answer.asString())
        .as(what)
        .doesNotContain("dev.rlhf", "java.", "jakarta.", "com.fasterxml", "Exception", "\tat ");
    assertThat(answer.getHeader("X-Content-Type-Options")).as(what).isEqualTo("nosniff");
    assertThat(answer.getHeader("Content-Security-Policy"))
        .as(what)
        .contains("frame-ancestors 'none'");
  }

  /** Every path with a request body in the runtime's OpenAPI document, with its body's schema. */
  private static Map<String, JsonNode> operations() throws Exception {
    JsonNode document = JSON.readTree(RestAssured.given().get("/q/openapi?format=json").asString());
    Map<String, JsonNode> operations = new TreeMap<>();
    document
        .path("paths")
        .fields()
        .forEachRemaining(
            path -> {
              JsonNode schema =
                  path.getValue()
                      .path("post")
                      .path("requestBody")
                      .path("content")
                      .path("application/json")
                      .path("schema");
              if (schema.isMissingNode()) return;
              String ref = schema.path("$ref").asText("");
              operations.put(
                  path.getKey(),
                  ref.isEmpty()
                      ? schema
                      : document
                          .path("components")
                          .path("schemas")
                          .path(ref.substring(ref.lastIndexOf('/') + 1)));
            });
    return operations;
  }

  private static List<byte[]> badBodies(JsonNode schema) {
    List<byte[]> bodies = new ArrayList<>();
    for (String malformed :
        List.of("", "{", "{\"a\":", "[1,2", "nul", "{'single':'quotes'}", "\u0000")) {
      bodies.add(malformed.getBytes(StandardCharsets.UTF_8));
    }
    bodies.add(new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'});
    for (JsonNode top : List.of(NODES.arrayNode(), NODES.textNode("text"), NODES.numberNode(42))) {
      bodies.add(top.toString().getBytes(StandardCharsets.UTF_8));
    }
    schema
        .path("properties")
        .fields()
        .forEachRemaining(
            field -> {
              for (JsonNode wrong : wrongValuesFor(field.getValue())) {
                bodies.add(
                    NODES
                        .objectNode()
                        .set(field.getKey(), wrong)
                        .toString()
                        .getBytes(StandardCharsets.UTF_8));
              }
            });
    // Texts far longer than any context, where a prompt or a message belongs.
    bodies.add(("{\"prompt\":\"" + HUGE + "\",\"max_tokens\":1}").getBytes(StandardCharsets.UTF_8));
    bodies.add(
        ("{\"messages\":[{\"role\":\"user\",\"content\":\"" + HUGE + "\"}],\"max_tokens\":1}")
            .getBytes(StandardCharsets.UTF_8));
    return bodies;
  }

  /** Values no OpenAI client sends for a field of that type, which no reading can coerce. */
  private static List<JsonNode> wrongValuesFor(JsonNode fieldSchema) {
    return switch (fieldSchema.path("type").asText("")) {
      case "integer", "number" ->
          List.of(NODES.textNode("many"), NODES.objectNode(), NODES.arrayNode().add(1));
      case "boolean" -> List.of(NODES.textNode("yes please"), NODES.objectNode());
      case "string" -> List.of(NODES.objectNode().put("a", 1), NODES.arrayNode().add(2));
      case "array" -> List.of(NODES.objectNode(), NODES.arrayNode().add(NODES.arrayNode()));
      // prompt, stop, content: text or a list of text; an object or a number is neither.
      default -> List.of(NODES.objectNode().put("a", 1), NODES.numberNode(7));
    };
  }

  /**
   * A body announced larger than the limit: the request's head and its first bytes only, on a plain
   * socket, since the refusal must come before the megabytes would.
   */
  private static String oversized(String path) throws Exception {
    URI base = URI.create(RestAssured.baseURI + ":" + RestAssured.port);
    String head =
        "POST "
            + path
            + " HTTP/1.1\r\nHost: "
            + base.getAuthority()
            + "\r\nAuthorization: Bearer "
            + RuntimeApi.SERVICE_KEY
            + "\r\nContent-Type: application/json\r\nContent-Length: "
            + OVERSIZED
            + "\r\n\r\n{\"prompt\":\"";
    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write(head.getBytes(StandardCharsets.UTF_8));
      socket.getOutputStream().flush();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
