package dev.rlhf.runtime.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.rlhf.runtime.service.InvalidRequestException;
import dev.rlhf.runtime.service.SamplingRequest;
import java.util.List;
import java.util.Map;

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

  /**
   * One message of {@code POST /v1/chat/completions}; {@code content} is a string or a list of
   * content parts, of which this runtime reads text parts.
   */
  record Message(String role, Object content) {

    /**
     * The message's text: the string, or its text parts joined.
     *
     * @param index the message's place, to name the field at fault
     */
    String text(int index) {
      String field = "messages[" + index + "].content";
      if (content instanceof String text) {
        return text;
      }
      if (!(content instanceof List<?> parts) || parts.isEmpty()) {
        throw new InvalidRequestException(field, "content must be a string or a list of parts");
      }
      StringBuilder text = new StringBuilder();
      for (int j = 0; j < parts.size(); j++) {
        if (!(parts.get(j) instanceof Map<?, ?> part)
            || !"text".equals(part.get("type"))
            || !(part.get("text") instanceof String piece)) {
          throw new InvalidRequestException(
              field + "[" + j + "]", "only text parts are read: {\"type\":\"text\",\"text\":...}");
        }
        text.append(piece);
      }
      return text.toString();
    }
  }

  /** {@code POST /v1/chat/completions}. */
  record ChatBody(
      String model,
      List<Message> messages,
      Integer n,
      Double temperature,
      @JsonProperty("top_p") Double topP,
      @JsonProperty("max_tokens") Integer maxTokens,
      @JsonProperty("max_completion_tokens") Integer maxCompletionTokens,
      Object stop,
      Long seed,
      Boolean stream) {

    /** {@code max_completion_tokens}, OpenAI's newer name, wins over {@code max_tokens}. */
    SamplingRequest sampling() {
      Integer max = maxCompletionTokens != null ? maxCompletionTokens : maxTokens;
      return new SamplingRequest(n, temperature, topP, null, max, stopList(stop), seed);
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
