package dev.rlhf.events.contract;

import dev.rlhf.events.Topic;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A contractor wrote the ideal assistant response to a conversation (a demonstration), possibly by
 * editing a model completion. The SFT trainer learns from these.
 */
public record DemonstrationSubmitted(
    UUID eventId,
    Instant occurredAt,
    UUID demonstrationId,
    UUID projectId,
    UUID promptId,
    List<ChatTurn> conversation,
    String response,
    UUID editedFromCompletionId,
    int guidelineVersion,
    String contractor)
    implements PlatformEvent {

  public DemonstrationSubmitted {
    Require.present(eventId, "eventId");
    Require.present(occurredAt, "occurredAt");
    Require.present(demonstrationId, "demonstrationId");
    Require.present(promptId, "promptId");
    conversation = List.copyOf(Require.nonEmpty(conversation, "conversation"));
    Require.text(response, "response");
  }

  @Override
  public Topic topic() {
    return Topic.DEMONSTRATIONS;
  }

  @Override
  public String key() {
    return promptId.toString();
  }
}
