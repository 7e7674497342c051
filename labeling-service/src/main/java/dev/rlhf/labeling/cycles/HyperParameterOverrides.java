package dev.rlhf.labeling.cycles;

import dev.rlhf.events.contract.TrainingStage;
import dev.rlhf.labeling.service.ApiProblem;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The hyper-parameters each stage's trainer understands, with the trainers' defaults, so that the
 * console can show them and a typo is refused when the cycle starts rather than when the trainer
 * picks the run up. The names are the trainers' (policy-trainer's SftConfig and PpoConfig,
 * reward-trainer's RewardTrainingOptions).
 */
public final class HyperParameterDefaults {

  private static final int MAX_VALUE_LENGTH = 100;
  private static final Map<TrainingStage, Map<String, String>> DEFAULTS =
      new EnumMap<>(TrainingStage.class);

  static {
    DEFAULTS.put(
        TrainingStage.SFT,
        ordered(
            "steps",
            "300",
            "batch",
            "16",
            "lr",
            "0.001",
            "minLr",
            "0.0001",
            "warmupSteps",
            "20",
            "weightDecay",
            "0.0",
            "gradClip",
            "1.0",
            "validationFraction",
            "0.2",
            "evalEvery",
            "50",
            "seed",
            "1"));
    DEFAULTS.put(
        TrainingStage.REWARD,
        ordered(
            "epochs",
            "4",
            "promptsPerBatch",
            "8",
            "lr",
            "0.0001",
            "minLr",
            "0.00001",
            "warmupSteps",
            "10",
            "weightDecay",
            "0.0",
            "gradClip",
            "1.0",
            "heldOutPercent",
            "10",
            "patience",
            "2",
            "checkpointEvery",
            "50",
            "progressEvery",
            "10",
            "seed",
            "1"));
    DEFAULTS.put(
        TrainingStage.PPO,
        ordered(
            "steps",
            "100",
            "rolloutBatch",
            "32",
            "miniBatch",
            "16",
            "ppoEpochs",
            "4",
            "maxNewTokens",
            "32",
            "temperature",
            "1.0",
            "lr",
            "0.0001",
            "gradClip",
            "1.0",
            "clipRange",
            "0.2",
            "clipRangeValue",
            "0.2",
            "valueCoef",
            "0.1",
            "gamma",
            "1.0",
            "lambda",
            "0.95",
            "initKlCoef",
            "0.05",
            "targetKl",
            "6.0",
            "klHorizon",
            "10000",
            "klHardLimit",
            "40.0",
            "whitenRewards",
            "true",
            "checkpointEvery",
            "10",
            "samplesPerStep",
            "3",
            "demoWorldPrompts",
            "false",
            "seed",
            "1"));
  }

  private HyperParameterDefaults() {}

  /** Every stage's defaults, in the order the trainers declare them. */
  public static Map<TrainingStage, Map<String, String>> all() {
    return DEFAULTS;
  }

  /**
   * The defaults of a stage with the given overrides applied.
   *
   * @throws ApiProblem naming the first unknown name or unusable value
   */
  public static Map<String, String> resolve(TrainingStage stage, Map<String, String> overrides) {
    Map<String, String> resolved = new LinkedHashMap<>(DEFAULTS.get(stage));
    if (overrides == null) return resolved;
    for (Map.Entry<String, String> e : overrides.entrySet()) {
      String field = "hyperParameters." + stage + "." + e.getKey();
      if (!resolved.containsKey(e.getKey())) {
        throw ApiProblem.invalid(
            field,
            stage + " has no hyper-parameter '" + e.getKey() + "'; known: " + resolved.keySet());
      }
      String value = e.getValue() == null ? "" : e.getValue().trim();
      if (value.isEmpty() || value.length() > MAX_VALUE_LENGTH) {
        throw ApiProblem.invalid(field, "give a value of 1 to " + MAX_VALUE_LENGTH + " characters");
      }
      resolved.put(e.getKey(), value);
    }
    return resolved;
  }

  private static Map<String, String> ordered(String... pairs) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) map.put(pairs[i], pairs[i + 1]);
    return java.util.Collections.unmodifiableMap(map);
  }
}
