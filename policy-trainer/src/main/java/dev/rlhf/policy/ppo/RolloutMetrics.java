package dev.rlhf.policy.ppo;

import dev.rlhf.events.contract.TrainingMetrics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a batch of rollouts says about the policy before it is updated, and how long its prompts
 * were: the longest prompt sets the padded width of every network pass over the batch.
 */
public record RolloutMetrics(
    double reward,
    double kl,
    double entropy,
    double responseLength,
    double promptLength,
    int promptLengthMax,
    List<Rollout> rollouts) {

  public static RolloutMetrics of(List<Rollout> rollouts) {
    return new RolloutMetrics(
        rollouts.stream().mapToDouble(Rollout::score).average().orElse(0),
        rollouts.stream().mapToDouble(Rollout::kl).average().orElse(0),
        rollouts.stream().mapToDouble(Rollout::entropy).average().orElse(0),
        rollouts.stream().mapToInt(Rollout::length).average().orElse(0),
        rollouts.stream().mapToInt(r -> r.promptTokens().length).average().orElse(0),
        rollouts.stream().mapToInt(r -> r.promptTokens().length).max().orElse(0),
        rollouts);
  }

  public Map<String, Double> metrics() {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put(TrainingMetrics.REWARD_MEAN, reward);
    m.put(TrainingMetrics.KL, kl);
    m.put("entropy", entropy);
    m.put("response_length", responseLength);
    m.put("prompt_length", promptLength);
    m.put("prompt_length_max", (double) promptLengthMax);
    return m;
  }

  /** A few completions to read, with the question they answer. */
  public List<String> samples(int count) {
    return rollouts.stream()
        .limit(count)
        .map(
            r ->
                r.prompt().get(r.prompt().size() - 1).text()
                    + " -> "
                    + r.text()
                    + String.format(" [%.3f]", r.score()))
        .toList();
  }
}
