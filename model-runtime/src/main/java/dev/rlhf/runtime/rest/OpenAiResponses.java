package dev.rlhf.runtime.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** Response bodies and stream chunks in the OpenAI API's shapes. */
final class OpenAiResponses {

  private OpenAiResponses() {}

  record Usage(
      @JsonProperty("prompt_tokens") int promptTokens,
      @JsonProperty("completion_tokens") int completionTokens,
      @JsonProperty("total_tokens") int totalTokens) {}

  record TextChoice(
      int index,
      String text,
      Object logprobs,
      @JsonProperty("finish_reason") String finishReason) {}

  /** {@code object} is {@code text_completion} for answers and stream chunks alike. */
  record TextCompletion(
      String id,
      String object,
      long created,
      String model,
      List<TextChoice> choices,
      @JsonInclude(JsonInclude.Include.NON_NULL) Usage usage) {}

  record ChatMessage(String role, String content) {}

  record ChatChoice(
      int index, ChatMessage message, @JsonProperty("finish_reason") String finishReason) {}

  record ChatCompletion(
      String id,
      String object,
      long created,
      String model,
      List<ChatChoice> choices,
      Usage usage) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Delta(String role, String content) {}

  record ChunkChoice(int index, Delta delta, @JsonProperty("finish_reason") String finishReason) {}

  record ChatChunk(
      String id, String object, long created, String model, List<ChunkChoice> choices) {}

  /**
   * A model card. {@code default}, {@code loaded}, {@code status} and {@code detail} are this
   * runtime's additions; {@code status} is {@code ready} (loaded), {@code available} (loaded on
   * first use), or, for the base network on its way, {@code preparing} or {@code failed} with a
   * {@code detail} that says how far it is or why it failed.
   */
  record ModelCard(
      String id,
      String object,
      long created,
      @JsonProperty("owned_by") String ownedBy,
      @JsonProperty("default") boolean isDefault,
      boolean loaded,
      String status,
      @JsonInclude(JsonInclude.Include.NON_NULL) String detail) {}

  record ModelList(String object, List<ModelCard> data) {}
}
