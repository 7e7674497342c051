package dev.rlhf.events.contract;

import dev.rlhf.events.Topic;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A contractor ranked the completions of one prompt. Rank 1 is best; completions that share a rank
 * are tied. When {@code allBad} is set the contractor judged every completion bad and may have
 * written {@code betterResponse}, which counts as preferred over all of them.
 */
public record RankingSubmitted(
    UUID eventId,
    Instant occurredAt,
    UUID rankingId,
    UUID projectId,
    UUID promptId,
    List<ChatTurn> conversation,
    List<RankedCompletion> completions,
    boolean allBad,
    String betterResponse,
    int guidelineVersion,
    String contractor)
    implements PlatformEvent {

  /** One completion and the place the contractor gave it. */
  public record RankedCompletion(UUID completionId, String text, String policyVersion, int rank) {
    public RankedCompletion {
      Require.present(completionId, "completionId");
      Require.present(text, "text");
      if (rank < 1) throw new IllegalArgumentException("rank must be >= 1");
    }
  }

  public RankingSubmitted {
    Require.present(eventId, "eventId");
    Require.present(occurredAt, "occurredAt");
    Require.present(rankingId, "rankingId");
    Require.present(promptId, "promptId");
    conversation = List.copyOf(Require.nonEmpty(conversation, "conversation"));
    completions = List.copyOf(Require.nonEmpty(completions, "completions"));
    if (completions.size() < 2) throw new IllegalArgumentException("a ranking needs 2 completions");
  }

  @Override
  public Topic topic() {
    return Topic.RANKINGS;
  }

  @Override
  public String key() {
    return promptId.toString();
  }
}
