package dev.rlhf.runtime.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.lm.sample.Completion;
import dev.rlhf.runtime.rest.OpenAiResponses.ChatChunk;
import dev.rlhf.runtime.rest.OpenAiResponses.ChunkChoice;
import dev.rlhf.runtime.rest.OpenAiResponses.Delta;
import dev.rlhf.runtime.rest.OpenAiResponses.TextChoice;
import dev.rlhf.runtime.rest.OpenAiResponses.TextCompletion;
import dev.rlhf.runtime.service.Generation;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * OpenAI's streaming format: one {@code data: <chunk>} event per token piece of each choice, a
 * closing chunk per choice with its finish reason, then {@code data: [DONE]}.
 *
 * <p>The pieces are sent once the batch is sampled: the n samples of a request are generated
 * together in one batch, and the language-model library does not yet report tokens as they are
 * chosen.
 */
final class SseStream {

  private SseStream() {}

  static Response response(List<String> events) {
    StreamingOutput body =
        out -> {
          for (String event : events) {
            out.write(("data: " + event + "\n\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
          }
          out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
          out.flush();
        };
    return Response.ok(body).type("text/event-stream").header("Cache-Control", "no-cache").build();
  }

  static List<String> textChunks(ObjectMapper json, String id, long created, Generation g) {
    List<String> events = new ArrayList<>();
    for (int i = 0; i < g.completions().size(); i++) {
      Completion c = g.completions().get(i);
      for (String piece : TextDeltas.of(c, g.tokenizer())) {
        events.add(write(json, textChunk(id, created, g, new TextChoice(i, piece, null, null))));
      }
      String reason = CompletionsResource.finishReason(c.finishReason());
      events.add(write(json, textChunk(id, created, g, new TextChoice(i, "", null, reason))));
    }
    return events;
  }

  static List<String> chatChunks(ObjectMapper json, String id, long created, Generation g) {
    List<String> events = new ArrayList<>();
    for (int i = 0; i < g.completions().size(); i++) {
      Completion c = g.completions().get(i);
      events.add(write(json, chatChunk(id, created, g, i, new Delta("assistant", ""), null)));
      for (String piece : TextDeltas.of(c, g.tokenizer())) {
        events.add(write(json, chatChunk(id, created, g, i, new Delta(null, piece), null)));
      }
      String reason = CompletionsResource.finishReason(c.finishReason());
      events.add(write(json, chatChunk(id, created, g, i, new Delta(null, null), reason)));
    }
    return events;
  }

  private static TextCompletion textChunk(
      String id, long created, Generation g, TextChoice choice) {
    return new TextCompletion(id, "text_completion", created, g.version(), List.of(choice), null);
  }

  private static ChatChunk chatChunk(
      String id, long created, Generation g, int index, Delta delta, String reason) {
    return new ChatChunk(
        id,
        "chat.completion.chunk",
        created,
        g.version(),
        List.of(new ChunkChoice(index, delta, reason)));
  }

  private static String write(ObjectMapper json, Object chunk) {
    try {
      return json.writeValueAsString(chunk);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a stream chunk", e);
    }
  }
}
