package dev.rlhf.labeling.reports.chat;

import dev.rlhf.events.contract.ChatTurn;
import dev.rlhf.labeling.service.ApiProblem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The chat answers this service gave, each readable by the account that chatted only. */
@ApplicationScoped
public class ChatAnswers {

  /** The caller's own answer; another's, or none, is a 404 naming the field. */
  public ChatAnswer own(String field, UUID answerId, UUID accountId) {
    ChatAnswer answer = answerId == null ? null : ChatAnswer.findById(answerId);
    if (answer == null || !answer.accountId.equals(accountId)) {
      throw new ApiProblem(404, "Not found", field, "no answer " + answerId + " of yours");
    }
    return answer;
  }

  @Transactional
  public ChatAnswer record(
      UUID accountId, List<ChatTurn> asked, String answerText, String modelVersion) {
    List<ChatTurn> conversation = new ArrayList<>(asked);
    conversation.add(new ChatTurn(ChatTurn.Role.ASSISTANT, answerText));
    ChatAnswer answer = new ChatAnswer();
    answer.id = UUID.randomUUID();
    answer.accountId = accountId;
    answer.conversation = conversation;
    answer.modelVersion = modelVersion;
    answer.createdAt = Instant.now();
    answer.persist();
    return answer;
  }
}
