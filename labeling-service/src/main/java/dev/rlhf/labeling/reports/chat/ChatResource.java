package dev.rlhf.labeling.reports.chat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.events.contract.ChatTurn;
import dev.rlhf.events.contract.MisbehaviorReported.Category;
import dev.rlhf.labeling.reports.rest.ReportBodies;
import dev.rlhf.labeling.reports.service.ReportInput;
import dev.rlhf.labeling.reports.service.ReportIntake;
import dev.rlhf.labeling.reports.service.ReportRejected;
import dev.rlhf.labeling.reports.service.ReportValidator;
import dev.rlhf.labeling.rest.Caller;
import dev.rlhf.labeling.service.ApiProblem;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The chat page's API: any signed-in person talks to the promoted policy and reports a bad answer
 * with one click. Reports take the same path as production's, with source "chat". The client sends
 * only its own words: the model's turns and version come from the answers kept here, so a report
 * cannot carry an invented answer, and it records who sent it.
 */
@Path("/api/chat")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Authenticated
public class ChatResource {

  public static final String SOURCE = "chat";
  private static final int DEFAULT_SEVERITY = 3;

  /** The user's next message, after the answer it replies to (none: a new chat). */
  public record ChatRequest(UUID answerId, String message) {}

  /** What the page shows and names when it goes on or reports. */
  public record ChatReply(UUID answerId, String text, String modelVersion) {}

  /** The answer that is bad, and what is wrong with it. */
  public record ChatReport(UUID answerId, Category category, Integer severity, String note) {}

  private final RuntimeChatClient runtime;
  private final ChatAnswers answers;
  private final ReportIntake intake;
  private final ReportValidator validator;
  private final ObjectMapper mapper;
  private final Caller caller;

  ChatResource(
      RuntimeChatClient runtime,
      ChatAnswers answers,
      ReportIntake intake,
      ReportValidator validator,
      ObjectMapper mapper,
      Caller caller) {
    this.runtime = runtime;
    this.answers = answers;
    this.intake = intake;
    this.validator = validator;
    this.mapper = mapper;
    this.caller = caller;
  }

  @POST
  @Path("/completions")
  public ChatReply complete(String json) {
    ChatRequest body = ReportBodies.read(mapper, json, ChatRequest.class);
    if (body.message() == null || body.message().isBlank()) {
      throw ApiProblem.badRequest("message", "message is required");
    }
    List<ChatTurn> conversation =
        new ArrayList<>(
            body.answerId() == null
                ? List.of()
                : answers.own("answerId", body.answerId(), caller.id()).conversation);
    conversation.add(new ChatTurn(ChatTurn.Role.USER, body.message()));
    try {
      // The report limits also bound what a chat may send, so any answer can be reported.
      validator.check(
          new ReportInput(
              SOURCE, null, conversation, null, Category.OTHER, DEFAULT_SEVERITY, null));
    } catch (ReportRejected e) {
      throw ApiProblem.badRequest(
          e.field().startsWith("conversation") ? "message" : e.field(), e.getMessage());
    }
    RuntimeChatClient.Reply reply = runtime.complete(conversation);
    ChatAnswer answer =
        answers.record(caller.id(), conversation, reply.text(), reply.modelVersion());
    return new ChatReply(answer.id, reply.text(), reply.modelVersion());
  }

  @POST
  @Path("/reports")
  public Response report(String json) {
    ChatReport body = ReportBodies.read(mapper, json, ChatReport.class);
    ChatAnswer answer = answers.own("answerId", body.answerId(), caller.id());
    ReportInput input =
        new ReportInput(
            SOURCE,
            null,
            answer.conversation,
            answer.modelVersion,
            body.category(),
            body.severity() == null ? DEFAULT_SEVERITY : body.severity(),
            body.note());
    try {
      ReportIntake.Receipt receipt = intake.ingest(input, caller.id());
      return Response.status(receipt.merged() ? 200 : 201).entity(receipt).build();
    } catch (ReportRejected e) {
      throw ReportBodies.badRequest(e);
    }
  }
}
