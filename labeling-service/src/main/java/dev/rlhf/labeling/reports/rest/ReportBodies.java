package dev.rlhf.labeling.reports.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.events.ErrorText;
import dev.rlhf.events.contract.ChatTurn;
import dev.rlhf.events.contract.MisbehaviorReported.Category;
import dev.rlhf.labeling.reports.service.ReportInput;
import dev.rlhf.labeling.reports.service.ReportRejected;
import dev.rlhf.labeling.service.ApiProblem;
import java.util.List;

/** Request bodies of the report endpoints, and how their faults become 400 problems. */
public final class ReportBodies {

  private ReportBodies() {}

  /** What a production system posts; the source is the one of its token. */
  record ReportRequest(
      String externalId,
      List<ChatTurn> conversation,
      String modelVersion,
      Category category,
      Integer severity,
      String text) {

    ReportInput withSource(String source) {
      return new ReportInput(
          source, externalId, conversation, modelVersion, category, severity, text);
    }
  }

  /**
   * Reads a body by hand, so that a wrong value (an unknown category, a severity that is no number)
   * is a problem naming its field, like every other fault of a report.
   */
  public static <T> T read(ObjectMapper mapper, String body, Class<T> type) {
    if (body == null || body.isBlank()) {
      throw ApiProblem.badRequest("body", "a JSON body is required");
    }
    T value;
    try {
      value = mapper.readValue(body, type);
    } catch (JsonProcessingException e) {
      String field = ErrorText.field(e);
      throw ApiProblem.badRequest(field == null ? "body" : field, ErrorText.describe(e));
    }
    if (value == null) throw ApiProblem.badRequest("body", "a JSON object is required");
    return value;
  }

  public static ApiProblem badRequest(ReportRejected rejected) {
    return ApiProblem.badRequest(rejected.field(), rejected.getMessage());
  }
}
