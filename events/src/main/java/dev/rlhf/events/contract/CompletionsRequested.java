package dev.rlhf.events.contract;

import dev.rlhf.events.Topic;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Someone asked for {@code n} fresh completions of a conversation from a policy version (null: the
 * promoted default). The runtime answers with {@link CompletionsGenerated} carrying the same
 * request id, once per request id.
 *
 * <p>{@code rewardVersion}, when set, names the reward model (a published REWARD version) that the
 * runtime scores the completions with, and its check model where it has one, so that the requester
 * can order ranking tasks by how unsure the reward models are about them. Null (and in requests
 * written before the field existed): the completions are not scored.
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
    String purpose,
    @AddedLater String rewardVersion)
    implements PlatformEvent {

  /** A request whose completions are not scored by a reward model. */
  public CompletionsRequested(
      UUID eventId,
      Instant occurredAt,
      UUID requestId,
      UUID promptId,
      List<ChatTurn> conversation,
      String policyVersion,
      int n,
      SamplingSettings sampling,
      String purpose) {
    this(
        eventId,
        occurredAt,
        requestId,
        promptId,
        conversation,
        policyVersion,
        n,
        sampling,
        purpose,
        null);
  }

  public CompletionsRequested {
    Require.present(eventId, "eventId");
    Require.present(occurredAt, "occurredAt");
    Require.present(requestId, "requestId");
    conversation = List.copyOf(Require.nonEmpty(conversation, "conversation"));
    if (n < 1 || n > 16) throw new IllegalArgumentException("n must be in 1..16");
    Require.present(sampling, "sampling");
    if (rewardVersion != null) VersionName.require(rewardVersion, "rewardVersion");
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
