package dev.rlhf.events.contract;

import dev.rlhf.events.Topic;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The runtime sampled the completions a {@link CompletionsRequested} asked for.
 *
 * <p>When the request named a reward model, {@code rewardVersion} is the version that scored the
 * completions, {@code rewardScores} holds its scalar reward of each completion (in the order of
 * {@code completions}) and {@code checkRewardScores} the same of its independent check model (empty
 * when it has none). When the request named none, or scoring failed (the version unknown to the
 * runtime, its checkpoint unreadable), the completions still go out, unscored: {@code
 * rewardVersion} null and both lists empty, as in answers written before the fields existed.
 */
public record CompletionsGenerated(
    UUID eventId,
    Instant occurredAt,
    UUID requestId,
    UUID promptId,
    String policyVersion,
    SamplingSettings sampling,
    List<GeneratedCompletion> completions,
    String purpose,
    @AddedLater String rewardVersion,
    @AddedLater List<Double> rewardScores,
    @AddedLater List<Double> checkRewardScores)
    implements PlatformEvent {

  /**
   * One sampled text; {@code finishReason} is "stop" or "length". {@code temperature} is the
   * temperature it was drawn at where that differs from the request's (a hotter draw for
   * diversity), otherwise null.
   */
  public record GeneratedCompletion(
      String text, int tokens, String finishReason, Double temperature) {
    public GeneratedCompletion {
      Require.present(text, "text");
      if (temperature != null && !(temperature >= 0)) {
        throw new IllegalArgumentException("temperature must be >= 0");
      }
    }

    public GeneratedCompletion(String text, int tokens, String finishReason) {
      this(text, tokens, finishReason, null);
    }
  }

  /** Completions not scored by a reward model. */
  public CompletionsGenerated(
      UUID eventId,
      Instant occurredAt,
      UUID requestId,
      UUID promptId,
      String policyVersion,
      SamplingSettings sampling,
      List<GeneratedCompletion> completions,
      String purpose) {
    this(
        eventId,
        occurredAt,
        requestId,
        promptId,
        policyVersion,
        sampling,
        completions,
        purpose,
        null,
        List.of(),
        List.of());
  }

  public CompletionsGenerated {
    Require.present(eventId, "eventId");
    Require.present(occurredAt, "occurredAt");
    Require.present(requestId, "requestId");
    Require.text(policyVersion, "policyVersion");
    completions = List.copyOf(Require.nonEmpty(completions, "completions"));
    if (rewardVersion != null) VersionName.require(rewardVersion, "rewardVersion");
    rewardScores = scores(rewardScores, completions.size(), "rewardScores");
    checkRewardScores = scores(checkRewardScores, completions.size(), "checkRewardScores");
    if (rewardVersion == null && !(rewardScores.isEmpty() && checkRewardScores.isEmpty())) {
      throw new IllegalArgumentException("reward scores need the rewardVersion that gave them");
    }
    if (rewardScores.isEmpty() && !checkRewardScores.isEmpty()) {
      throw new IllegalArgumentException("checkRewardScores need rewardScores beside them");
    }
  }

  /** Whether a reward model scored every completion. */
  public boolean scored() {
    return !rewardScores.isEmpty();
  }

  /** Empty, or one finite score per completion. */
  private static List<Double> scores(List<Double> scores, int completions, String field) {
    if (scores == null || scores.isEmpty()) return List.of();
    if (scores.size() != completions) {
      throw new IllegalArgumentException(
          field
              + " must hold one score per completion ("
              + completions
              + "), not "
              + scores.size());
    }
    for (Double s : scores) {
      if (s == null || !Double.isFinite(s)) {
        throw new IllegalArgumentException(field + " must be finite numbers");
      }
    }
    return List.copyOf(scores);
  }

  @Override
  public Topic topic() {
    return Topic.COMPLETIONS;
  }

  @Override
  public String key() {
    return requestId.toString();
  }
}
