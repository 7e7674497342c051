package dev.rlhf.labeling.reports.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rlhf.events.contract.ChatTurn;
import dev.rlhf.labeling.reports.config.RuntimeSettings;
import dev.rlhf.labeling.service.ApiProblem;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;

/**
 * Asks the model runtime's OpenAI-compatible API for the promoted policy's answer. The browser
 * never reaches the runtime: this service signs users in and calls the runtime with its service
 * key.
 */
@ApplicationScoped
public class RuntimeChatClient {

  /** The answer and the policy version that wrote it (what a report of it names). */
  public record Reply(String text, String modelVersion) {}

  private final RuntimeSettings settings;
  private final ObjectMapper mapper;
  private final HttpClient http;

  RuntimeChatClient(RuntimeSettings settings, ObjectMapper mapper) {
    this.settings = settings;
    this.mapper = mapper;
    this.http = HttpClient.newBuilder().connectTimeout(settings.chatTimeout()).build();
  }

  public Reply complete(List<ChatTurn> conversation) {
    ObjectNode body = mapper.createObjectNode();
    body.put("model", settings.chatModel());
    body.put("max_tokens", settings.chatMaxTokens());
    ArrayNode messages = body.putArray("messages");
    for (ChatTurn turn : conversation) {
      messages
          .addObject()
          .put("role", turn.role().name().toLowerCase(Locale.ROOT))
          .put("content", turn.text());
    }
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(stripSlash(settings.url()) + "/v1/chat/completions"))
            .timeout(settings.chatTimeout())
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    settings.serviceKey().ifPresent(key -> request.header("Authorization", "Bearer " + key));
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw unavailable("could not reach the model runtime: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable("interrupted while waiting for the model runtime");
    }
    if (response.statusCode() != 200) {
      throw unavailable("the model runtime answered HTTP " + response.statusCode());
    }
    try {
      JsonNode answer = mapper.readTree(response.body());
      JsonNode content = answer.path("choices").path(0).path("message").path("content");
      if (!content.isTextual()) throw unavailable("the model runtime's answer has no content");
      return new Reply(content.asText(), answer.path("model").asText(settings.chatModel()));
    } catch (IOException e) {
      throw unavailable("the model runtime's answer is not JSON");
    }
  }

  private static ApiProblem unavailable(String detail) {
    return new ApiProblem(502, "Bad gateway", null, detail);
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
