package dev.rlhf.runtime.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.lm.sample.Completion;
import dev.rlhf.lm.sample.TokenListener;
import dev.rlhf.runtime.rest.OpenAiResponses.ChatChunk;
import dev.rlhf.runtime.rest.OpenAiResponses.ChunkChoice;
import dev.rlhf.runtime.rest.OpenAiResponses.Delta;
import dev.rlhf.runtime.rest.OpenAiResponses.TextChoice;
import dev.rlhf.runtime.rest.OpenAiResponses.TextCompletion;
import dev.rlhf.runtime.service.CompletionService.Started;
import dev.rlhf.runtime.service.Generation;
import io.quarkus.logging.Log;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * OpenAI's streaming format, sent while the batch is sampled: a {@code data: <chunk>} event for
 * each piece of text as soon as its token is chosen, a closing chunk per choice with its finish
 * reason, then {@code data: [DONE]}. The generating thread only queues tokens; this stream's own
 * thread decodes and writes them, so a slow client never holds up the batch, and a client that goes
 * away cancels the generation.
 */
final class SseStream implements TokenListener, StreamingOutput {

  /** How one API shapes its chunks. */
  interface Chunks {
    /** Chunks sent before any text (the chat API announces the assistant role). */
    List<Object> opening(String version, int choices);

    Object piece(String version, int choice, String text);

    Object finish(String version, int choice, String reason);
  }

  private static final int POLL_MILLIS = 50;

  private final ObjectMapper json;
  private final Chunks chunks;
  private final LinkedBlockingQueue<int[]> tokens = new LinkedBlockingQueue<>();
  private Started generation;

  SseStream(ObjectMapper json, Chunks chunks) {
    this.json = json;
    this.chunks = chunks;
  }

  @Override
  public void onToken(int row, int token) {
    tokens.add(new int[] {row, token});
  }

  /** The event-stream response for a generation that was started with this stream as listener. */
  Response response(Started started) {
    this.generation = started;
    return Response.ok(this).type("text/event-stream").header("Cache-Control", "no-cache").build();
  }

  @Override
  public void write(OutputStream out) throws IOException {
    String version = generation.version();
    TextStream[] texts = new TextStream[generation.n()];
    for (int i = 0; i < texts.length; i++) {
      texts[i] = new TextStream(generation.tokenizer(), generation.params().stop());
    }
    try {
      for (Object chunk : chunks.opening(version, texts.length)) {
        send(out, chunk);
      }
      // The generation thread queues every token before its result is set, so once the job is
      // done, what remains in the queue is all that is left.
      while (true) {
        int[] t = tokens.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
        if (t == null && generation.result().isDone()) {
          t = tokens.poll();
          if (t == null) {
            break;
          }
        }
        if (t != null) {
          String piece = texts[t[0]].next(t[1]);
          if (!piece.isEmpty()) {
            send(out, chunks.piece(version, t[0], piece));
          }
        }
      }
      finish(out, version, texts);
    } catch (IOException e) {
      Log.debugf("stream client went away; cancelling the generation: %s", e.getMessage());
      generation.result().cancel();
      throw e;
    } catch (InterruptedException e) {
      generation.result().cancel();
      Thread.currentThread().interrupt();
    }
  }

  private void finish(OutputStream out, String version, TextStream[] texts) throws IOException {
    Generation g;
    try {
      g = generation.result().await();
    } catch (RuntimeException e) {
      Log.warnf(e, "streamed generation failed");
      String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      send(out, Map.of("error", Map.of("message", message, "type", "server_error")));
      done(out);
      return;
    }
    for (int i = 0; i < texts.length; i++) {
      Completion c = g.completions().get(i);
      String rest = texts[i].rest(c.text());
      if (!rest.isEmpty()) {
        send(out, chunks.piece(version, i, rest));
      }
      send(out, chunks.finish(version, i, CompletionsResource.finishReason(c.finishReason())));
    }
    done(out);
  }

  private void send(OutputStream out, Object chunk) throws IOException {
    out.write(("data: " + write(chunk) + "\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static void done(OutputStream out) throws IOException {
    out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private String write(Object chunk) {
    try {
      return json.writeValueAsString(chunk);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a stream chunk", e);
    }
  }

  /** {@code /v1/completions} chunks: text_completion objects, one choice each. */
  static Chunks text(String id, long created) {
    return new Chunks() {
      @Override
      public List<Object> opening(String version, int choices) {
        return List.of();
      }

      @Override
      public Object piece(String version, int choice, String text) {
        return chunk(version, new TextChoice(choice, text, null, null));
      }

      @Override
      public Object finish(String version, int choice, String reason) {
        return chunk(version, new TextChoice(choice, "", null, reason));
      }

      private Object chunk(String version, TextChoice choice) {
        return new TextCompletion(id, "text_completion", created, version, List.of(choice), null);
      }
    };
  }

  /** {@code /v1/chat/completions} chunks: the assistant role first, then content deltas. */
  static Chunks chat(String id, long created) {
    return new Chunks() {
      @Override
      public List<Object> opening(String version, int choices) {
        List<Object> roles = new ArrayList<>();
        for (int i = 0; i < choices; i++) {
          roles.add(chunk(version, i, new Delta("assistant", ""), null));
        }
        return roles;
      }

      @Override
      public Object piece(String version, int choice, String text) {
        return chunk(version, choice, new Delta(null, text), null);
      }

      @Override
      public Object finish(String version, int choice, String reason) {
        return chunk(version, choice, new Delta(null, null), reason);
      }

      private Object chunk(String version, int choice, Delta delta, String reason) {
        return new ChatChunk(
            id,
            "chat.completion.chunk",
            created,
            version,
            List.of(new ChunkChoice(choice, delta, reason)));
      }
    };
  }
}
