package dev.rlhf.events.contract;

import dev.rlhf.events.Topic;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Someone asked for {@code n} fresh completions of a conversation from a policy version (null: the
 * promoted default). The runtime answers with {@link CompletionsGenerated} carrying the same
 * request id, once per request id.
 */
public record CompletionsRequested(
    UUID eventId,
    Instant occurredAt,
    UUID requestId,
    UUID promptId,
    List<ChatTurn> conversation,
    String policyVersion,
    int n,
    SamplingSettings sampling,
    String purpose)
    implements PlatformEvent {

  public CompletionsRequested {
    Require.present(eventId, "eventId");
    Require.present(occurredAt, "occurredAt");
    Require.present(requestId, "requestId");
    conversation = List.copyOf(Require.nonEmpty(conversation, "conversation"));
    if (n < 1 || n > 16) throw new IllegalArgumentException("n must be in 1..16");
    Require.present(sampling, "sampling");
  }

  @Override
  public Topic topic() {
    return Topic.COMPLETION_REQUESTS;
  }

  @Override
  public String key() {
    return requestId.toString();
  }
}
