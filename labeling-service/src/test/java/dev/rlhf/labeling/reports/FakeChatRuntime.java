package dev.rlhf.labeling.reports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A stand-in for model-runtime's OpenAI-compatible chat API: an outside system to the labeling
 * service. It answers "echo: " and the last message, as model {@link #MODEL}; a last message of
 * "fail" gets an HTTP 500, as a runtime without a loaded policy would answer.
 */
public class FakeChatRuntime implements QuarkusTestResourceLifecycleManager {

  public static final String MODEL = "policy-fake-7";

  /** The service key it expects, as the real runtime does; anything else gets 401. */
  public static final String SERVICE_KEY = "fake-runtime-service-key-0123456789abcdef";

  private static final ObjectMapper JSON = new ObjectMapper();

  private HttpServer server;

  @Override
  public Map<String, String> start() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    server.createContext("/v1/chat/completions", FakeChatRuntime::answer);
    server.start();
    return Map.of(
        "rlhf.runtime.url",
        "http://127.0.0.1:" + server.getAddress().getPort(),
        "rlhf.runtime.service-key",
        SERVICE_KEY);
  }

  private static void answer(HttpExchange exchange) throws IOException {
    if (!("Bearer " + SERVICE_KEY).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
      exchange.sendResponseHeaders(401, -1);
      exchange.close();
      return;
    }
    JsonNode request = JSON.readTree(exchange.getRequestBody());
    JsonNode messages = request.path("messages");
    String last = messages.path(messages.size() - 1).path("content").asText();
    if (!"POST".equals(exchange.getRequestMethod()) || "fail".equals(last)) {
      exchange.sendResponseHeaders(500, -1);
      exchange.close();
      return;
    }
    var body = JSON.createObjectNode().put("id", "chatcmpl-1").put("model", MODEL);
    body.putArray("choices")
        .addObject()
        .put("index", 0)
        .put("finish_reason", "stop")
        .putObject("message")
        .put("role", "assistant")
        .put("content", "echo: " + last + " (" + messages.size() + " messages)");
    byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void stop() {
    if (server != null) server.stop(0);
  }
}
