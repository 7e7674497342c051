package dev.rlhf.runtime.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.lm.sample.Completion;
import dev.rlhf.lm.sample.FinishReason;
import dev.rlhf.lm.tokenizer.Role;
import dev.rlhf.lm.tokenizer.Turn;
import dev.rlhf.runtime.rest.OpenAiRequests.ChatBody;
import dev.rlhf.runtime.rest.OpenAiRequests.CompletionBody;
import dev.rlhf.runtime.rest.OpenAiRequests.Message;
import dev.rlhf.runtime.rest.OpenAiResponses.ChatChoice;
import dev.rlhf.runtime.rest.OpenAiResponses.ChatCompletion;
import dev.rlhf.runtime.rest.OpenAiResponses.ChatMessage;
import dev.rlhf.runtime.rest.OpenAiResponses.TextChoice;
import dev.rlhf.runtime.rest.OpenAiResponses.TextCompletion;
import dev.rlhf.runtime.rest.OpenAiResponses.Usage;
import dev.rlhf.runtime.service.CompletionService;
import dev.rlhf.runtime.service.Generation;
import dev.rlhf.runtime.service.InvalidRequestException;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The OpenAI-compatible completion endpoints; {@code stream: true} answers as server-sent events.
 */
@Path("/v1")
@Consumes(MediaType.APPLICATION_JSON)
@Authenticated
public class CompletionsResource {

  private final CompletionService service;
  private final ObjectMapper json;

  CompletionsResource(CompletionService service, ObjectMapper json) {
    this.service = service;
    this.json = json;
  }

  @POST
  @Path("/completions")
  public Response complete(CompletionBody body) {
    if (body == null) {
      throw new InvalidRequestException("prompt", "a JSON body with a prompt is required");
    }
    String id = "cmpl-" + UUID.randomUUID();
    long created = Instant.now().getEpochSecond();
    if (Boolean.TRUE.equals(body.stream())) {
      SseStream stream = new SseStream(json, SseStream.text(id, created));
      return stream.response(
          service.startCompletion(body.model(), body.promptText(), body.sampling(), stream));
    }
    Generation g = service.complete(body.model(), body.promptText(), body.sampling());
    List<TextChoice> choices = new ArrayList<>();
    for (int i = 0; i < g.completions().size(); i++) {
      Completion c = g.completions().get(i);
      choices.add(new TextChoice(i, c.text(), null, finishReason(c.finishReason())));
    }
    return Response.ok(
            new TextCompletion(id, "text_completion", created, g.version(), choices, usage(g)))
        .type(MediaType.APPLICATION_JSON)
        .build();
  }

  @POST
  @Path("/chat/completions")
  public Response chat(ChatBody body) {
    if (body == null) {
      throw new InvalidRequestException("messages", "a JSON body with messages is required");
    }
    String id = "chatcmpl-" + UUID.randomUUID();
    long created = Instant.now().getEpochSecond();
    if (Boolean.TRUE.equals(body.stream())) {
      SseStream stream = new SseStream(json, SseStream.chat(id, created));
      return stream.response(
          service.startChat(body.model(), turns(body.messages()), body.sampling(), stream));
    }
    Generation g = service.chat(body.model(), turns(body.messages()), body.sampling());
    List<ChatChoice> choices = new ArrayList<>();
    for (int i = 0; i < g.completions().size(); i++) {
      Completion c = g.completions().get(i);
      choices.add(
          new ChatChoice(
              i, new ChatMessage("assistant", c.text()), finishReason(c.finishReason())));
    }
    return Response.ok(
            new ChatCompletion(id, "chat.completion", created, g.version(), choices, usage(g)))
        .type(MediaType.APPLICATION_JSON)
        .build();
  }

  static String finishReason(FinishReason reason) {
    return reason.name().toLowerCase(Locale.ROOT);
  }

  private static Usage usage(Generation g) {
    int prompt = g.promptTokens();
    return new Usage(prompt, g.completionTokens(), prompt + g.completionTokens());
  }

  private static List<Turn> turns(List<Message> messages) {
    if (messages == null || messages.isEmpty()) {
      throw new InvalidRequestException("messages", "messages must not be empty");
    }
    List<Turn> turns = new ArrayList<>();
    for (int i = 0; i < messages.size(); i++) {
      Message m = messages.get(i);
      if (m == null || m.content() == null) {
        throw new InvalidRequestException(
            "messages[" + i + "].content", "every message needs a content");
      }
      turns.add(new Turn(role(m.role(), i), m.text(i)));
    }
    return turns;
  }

  private static Role role(String role, int index) {
    if (role != null) {
      switch (role) {
        case "system":
        case "developer": // OpenAI's newer name for system instructions
          return Role.SYSTEM;
        case "user":
          return Role.USER;
        case "assistant":
          return Role.ASSISTANT;
        default:
          break;
      }
    }
    throw new InvalidRequestException(
        "messages[" + index + "].role", "role must be system, developer, user or assistant");
  }
}
