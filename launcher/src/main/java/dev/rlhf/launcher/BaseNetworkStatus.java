package dev.rlhf.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * What model-runtime says of its base network in its readiness data: on a first start the demo base
 * is pretrained for minutes after the runtime is up, and the run command shows how far it is.
 *
 * @param state {@code PREPARING}, {@code READY} or {@code FAILED}
 * @param detail one line for people: progress, or why it failed
 */
public record BaseNetworkStatus(String state, String version, int step, int steps, String detail) {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final ObjectMapper JSON = new ObjectMapper();

  boolean preparing() {
    return "PREPARING".equals(state);
  }

  boolean failed() {
    return "FAILED".equals(state);
  }

  /** The status model-runtime at {@code runtimeUrl} reports now; empty if it cannot be read. */
  static Optional<BaseNetworkStatus> read(String runtimeUrl) {
    try {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(runtimeUrl + "/q/health/ready"))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return parse(response.body());
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /** The status in a readiness body, if one of its checks reports the base network. */
  static Optional<BaseNetworkStatus> parse(String healthBody) {
    try {
      for (JsonNode check : JSON.readTree(healthBody).path("checks")) {
        JsonNode data = check.path("data");
        if (data.has("baseState")) {
          return Optional.of(
              new BaseNetworkStatus(
                  data.path("baseState").asText(),
                  data.path("baseVersion").asText(),
                  data.path("baseStep").asInt(),
                  data.path("baseSteps").asInt(),
                  data.path("baseDetail").asText()));
        }
      }
      return Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
