package dev.rlhf.runtime.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.rlhf.runtime.service.InvalidRequestException;
import dev.rlhf.runtime.service.SamplingRequest;
import java.util.List;

/** Request bodies of the OpenAI API, in its field spelling. */
final class OpenAiRequests {

  private OpenAiRequests() {}

  /** {@code POST /v1/completions}; {@code prompt} is a string or a list of one string. */
  record CompletionBody(
      String model,
      Object prompt,
      Integer n,
      Double temperature,
      @JsonProperty("top_p") Double topP,
      @JsonProperty("max_tokens") Integer maxTokens,
      Object stop,
      Long seed,
      Boolean stream) {

    SamplingRequest sampling() {
      return new SamplingRequest(n, temperature, topP, null, maxTokens, stopList(stop), seed);
    }

    String promptText() {
      if (prompt instanceof String text) {
        return text;
      }
      if (prompt instanceof List<?> list && list.size() == 1 && list.get(0) instanceof String s) {
        return s;
      }
      if (prompt == null) {
        return null;
      }
      throw new InvalidRequestException("prompt", "prompt must be a string");
    }
  }

  /** One message of {@code POST /v1/chat/completions}. */
  record Message(String role, String content) {}

  /** {@code POST /v1/chat/completions}. */
  record ChatBody(
      String model,
      List<Message> messages,
      Integer n,
      Double temperature,
      @JsonProperty("top_p") Double topP,
      @JsonProperty("max_tokens") Integer maxTokens,
      Object stop,
      Long seed,
      Boolean stream) {

    SamplingRequest sampling() {
      return new SamplingRequest(n, temperature, topP, null, maxTokens, stopList(stop), seed);
    }
  }

  /** OpenAI accepts one stop string or a list of them. */
  static List<String> stopList(Object stop) {
    if (stop == null) {
      return List.of();
    }
    if (stop instanceof String s) {
      return List.of(s);
    }
    if (stop instanceof List<?> list && list.stream().allMatch(String.class::isInstance)) {
      return list.stream().map(String.class::cast).toList();
    }
    throw new InvalidRequestException("stop", "stop must be a string or a list of strings");
  }
}
