package dev.rlhf.labeling.reports.chat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.events.contract.ChatTurn;
import dev.rlhf.events.contract.MisbehaviorReported.Category;
import dev.rlhf.labeling.reports.rest.ReportBodies;
import dev.rlhf.labeling.reports.service.ReportInput;
import dev.rlhf.labeling.reports.service.ReportIntake;
import dev.rlhf.labeling.reports.service.ReportRejected;
import dev.rlhf.labeling.reports.service.ReportValidator;
import dev.rlhf.labeling.service.ApiProblem;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * The chat page's API: any signed-in person talks to the promoted policy and reports a bad answer
 * with one click. Reports take the same path as production's, with source "chat".
 */
@Path("/api/chat")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Authenticated
public class ChatResource {

  public static final String SOURCE = "chat";
  private static final int DEFAULT_SEVERITY = 3;

  /** The conversation so far, ending with the user's new turn. */
  public record ChatRequest(List<ChatTurn> conversation) {}

  /** The conversation including the bad answer, and what is wrong with it. */
  public record ChatReport(
      List<ChatTurn> conversation,
      String modelVersion,
      Category category,
      Integer severity,
      String note) {}

  private final RuntimeChatClient runtime;
  private final ReportIntake intake;
  private final ReportValidator validator;
  private final ObjectMapper mapper;

  ChatResource(
      RuntimeChatClient runtime,
      ReportIntake intake,
      ReportValidator validator,
      ObjectMapper mapper) {
    this.runtime = runtime;
    this.intake = intake;
    this.validator = validator;
    this.mapper = mapper;
  }

  @POST
  @Path("/completions")
  public RuntimeChatClient.ChatAnswer complete(String json) {
    List<ChatTurn> conversation = ReportBodies.read(mapper, json, ChatRequest.class).conversation();
    try {
      // The report limits also bound what a chat may send, so any answer can be reported.
      validator.check(
          new ReportInput(
              SOURCE, null, conversation, null, Category.OTHER, DEFAULT_SEVERITY, null));
    } catch (ReportRejected e) {
      throw ReportBodies.badRequest(e);
    }
    if (conversation.get(conversation.size() - 1).role() != ChatTurn.Role.USER) {
      throw ApiProblem.badRequest("conversation", "the last turn must be the user's");
    }
    return runtime.complete(conversation);
  }

  @POST
  @Path("/reports")
  public Response report(String json) {
    ChatReport body = ReportBodies.read(mapper, json, ChatReport.class);
    ReportInput input =
        new ReportInput(
            SOURCE,
            null,
            body.conversation(),
            body.modelVersion(),
            body.category(),
            body.severity() == null ? DEFAULT_SEVERITY : body.severity(),
            body.note());
    try {
      ReportIntake.Receipt receipt = intake.ingest(input);
      return Response.status(receipt.merged() ? 200 : 201).entity(receipt).build();
    } catch (ReportRejected e) {
      throw ReportBodies.badRequest(e);
    }
  }
}
