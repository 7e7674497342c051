package dev.rlhf.labeling.reports.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.events.contract.ChatTurn;
import dev.rlhf.events.contract.MisbehaviorReported.Category;
import dev.rlhf.labeling.reports.service.ReportInput;
import dev.rlhf.labeling.reports.service.ReportRejected;
import dev.rlhf.labeling.service.ApiProblem;
import java.util.List;
import java.util.stream.Collectors;

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

  public static <T> T read(ObjectMapper mapper, String body, Class<T> type)
      throws JsonProcessingException {
    if (body == null || body.isBlank()) {
      throw ApiProblem.badRequest("body", "a JSON body is required");
    }
    T value = mapper.readValue(body, type);
    if (value == null) throw ApiProblem.badRequest("body", "a JSON object is required");
    return value;
  }

  public static ApiProblem badRequest(ReportRejected rejected) {
    return ApiProblem.badRequest(rejected.field(), rejected.getMessage());
  }
}
