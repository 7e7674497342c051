package dev.rlhf.reward.training;

import dev.rlhf.events.contract.HyperParameterDefaults;
import dev.rlhf.events.contract.TrainingStage;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Everything a reward-model run depends on besides its data and base checkpoint. The defaults are
 * the REWARD stage's {@link HyperParameterDefaults} (shared with labeling-service, which shows
 * them); a run's {@code hyperParameters} override them by name, and the resolved options are saved
 * with every checkpoint of the run.
 *
 * @param epochs passes over the training prompts (early stopping may end sooner)
 * @param promptsPerBatch prompts per optimizer step; all pairs of a prompt share its batch
 * @param lr peak learning rate after warm-up
 * @param minLr learning rate at the end of the cosine decay
 * @param warmupSteps linear warm-up length in steps
 * @param weightDecay AdamW decoupled decay of matrices
 * @param gradClip global gradient-norm bound
 * @param heldOutPercent share of prompts (by hash of the prompt id) held out for evaluation
 * @param patience epochs without a better held-out loss before stopping
 * @param checkpointEvery steps between resumable checkpoints (every epoch end saves too)
 * @param progressEvery steps between progress events
 * @param seed seeds the head initialisation and the batch order
 */
public record RewardTrainingOptions(
    int epochs,
    int promptsPerBatch,
    float lr,
    float minLr,
    int warmupSteps,
    float weightDecay,
    float gradClip,
    double heldOutPercent,
    int patience,
    int checkpointEvery,
    int progressEvery,
    long seed) {

  public RewardTrainingOptions {
    if (epochs <= 0 || promptsPerBatch <= 0 || checkpointEvery <= 0 || progressEvery <= 0) {
      throw new IllegalArgumentException("epochs, batch and intervals must be positive");
    }
    if (lr <= 0 || minLr < 0 || minLr > lr || warmupSteps < 0 || patience <= 0) {
      throw new IllegalArgumentException("bad learning-rate schedule or patience");
    }
    if (heldOutPercent <= 0 || heldOutPercent >= 100) {
      throw new IllegalArgumentException("heldOutPercent must be in (0, 100)");
    }
  }

  /** Fine-tuning defaults for a pretrained or SFT network (InstructGPT-like small lr). */
  public static RewardTrainingOptions defaults() {
    return parse(HyperParameterDefaults.of(TrainingStage.REWARD));
  }

  /**
   * These options with {@code overrides} applied by record component name.
   *
   * @throws IllegalArgumentException naming an unknown or unparsable hyper-parameter
   */
  public RewardTrainingOptions with(Map<String, String> overrides) {
    Map<String, String> m = new LinkedHashMap<>(toMap());
    for (Map.Entry<String, String> e : overrides.entrySet()) {
      if (!m.containsKey(e.getKey())) {
        throw new IllegalArgumentException(
            "unknown hyper-parameter " + e.getKey() + " (known: " + m.keySet() + ")");
      }
      m.put(e.getKey(), e.getValue().trim());
    }
    return parse(m);
  }

  /** Options from a value for every component, by name. */
  private static RewardTrainingOptions parse(Map<String, String> m) {
    Set<String> names =
        Arrays.stream(RewardTrainingOptions.class.getRecordComponents())
            .map(RecordComponent::getName)
            .collect(Collectors.toSet());
    if (!m.keySet().equals(names)) {
      throw new IllegalStateException("options " + names + " given values for " + m.keySet());
    }
    try {
      return new RewardTrainingOptions(
          get(m, "epochs", Integer::parseInt),
          get(m, "promptsPerBatch", Integer::parseInt),
          get(m, "lr", Float::parseFloat),
          get(m, "minLr", Float::parseFloat),
          get(m, "warmupSteps", Integer::parseInt),
          get(m, "weightDecay", Float::parseFloat),
          get(m, "gradClip", Float::parseFloat),
          get(m, "heldOutPercent", Double::parseDouble),
          get(m, "patience", Integer::parseInt),
          get(m, "checkpointEvery", Integer::parseInt),
          get(m, "progressEvery", Integer::parseInt),
          get(m, "seed", Long::parseLong));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("unparsable hyper-parameter: " + e.getMessage(), e);
    }
  }

  /** The options by name, as saved with checkpoints and accepted by {@link #with}. */
  public Map<String, String> toMap() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("epochs", String.valueOf(epochs));
    m.put("promptsPerBatch", String.valueOf(promptsPerBatch));
    m.put("lr", String.valueOf(lr));
    m.put("minLr", String.valueOf(minLr));
    m.put("warmupSteps", String.valueOf(warmupSteps));
    m.put("weightDecay", String.valueOf(weightDecay));
    m.put("gradClip", String.valueOf(gradClip));
    m.put("heldOutPercent", String.valueOf(heldOutPercent));
    m.put("patience", String.valueOf(patience));
    m.put("checkpointEvery", String.valueOf(checkpointEvery));
    m.put("progressEvery", String.valueOf(progressEvery));
    m.put("seed", String.valueOf(seed));
    return m;
  }

  private static <T> T get(Map<String, String> m, String key, Function<String, T> parse) {
    try {
      return parse.apply(m.get(key));
    } catch (NumberFormatException e) {
      throw new NumberFormatException(key + "=" + m.get(key));
    }
  }
}
