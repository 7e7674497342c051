package dev.rlhf.events.contract;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The hyper-parameters each stage's trainer understands, by the names a {@link
 * TrainingRunRequested} carries them under, with their defaults. This is their only definition: the
 * trainers build their typed configurations (policy-trainer's {@code SftConfig}, {@code PpoConfig}
 * and {@code DpoConfig}, reward-trainer's {@code RewardTrainingOptions}, which say what each one
 * means) from these values, and labeling-service shows and checks them when a cycle starts.
 */
public final class HyperParameterDefaults {

  private static final Map<TrainingStage, Map<String, String>> DEFAULTS =
      new EnumMap<>(TrainingStage.class);

  /** The values a hyper-parameter that takes a word may take, by name. */
  private static final Map<String, List<String>> CHOICES =
      Map.of("lossType", List.of("sigmoid", "robust", "ipo"));

  static {
    DEFAULTS.put(
        TrainingStage.SFT,
        ordered(
            "steps", "300",
            "batch", "16",
            "lr", "0.001",
            "minLr", "0.0001",
            "warmupSteps", "20",
            "weightDecay", "0.0",
            "gradClip", "1.0",
            "validationFraction", "0.2",
            "evalEvery", "10",
            "patience", "0",
            "seed", "1"));
    DEFAULTS.put(
        TrainingStage.REWARD,
        ordered(
            "epochs", "4",
            "promptsPerBatch", "8",
            "lr", "0.0001",
            "minLr", "0.00001",
            "warmupSteps", "10",
            "weightDecay", "0.0",
            "gradClip", "1.0",
            "heldOutPercent", "10.0",
            "patience", "2",
            "checkpointEvery", "50",
            "progressEvery", "10",
            "seed", "1"));
    DEFAULTS.put(
        TrainingStage.PPO,
        ordered(
            "steps", "100",
            "rolloutBatch", "32",
            "miniBatch", "16",
            "ppoEpochs", "4",
            "maxNewTokens", "96",
            "temperature", "1.0",
            "lr", "0.00005",
            "gradClip", "1.0",
            "clipRange", "0.2",
            "clipRangeValue", "0.2",
            "valueCoef", "0.1",
            "ptxCoef", "1.0",
            "gamma", "1.0",
            "lambda", "0.95",
            "initKlCoef", "0.2",
            "targetKl", "6.0",
            "klHorizon", "1000.0",
            "klHardLimit", "40.0",
            "guardWindow", "5",
            "minLengthRatio", "0.5",
            "maxKlRatio", "1.5",
            "minEntropyRatio", "0.3",
            "maxCheckDrop", "0.5",
            "whitenRewards", "true",
            "checkpointEvery", "10",
            "samplesPerStep", "3",
            "demoWorldPrompts", "false",
            "seed", "1"));
    DEFAULTS.put(
        TrainingStage.DPO,
        ordered(
            "epochs", "3",
            "promptsPerBatch", "8",
            "beta", "0.1",
            "lossType", "sigmoid",
            "labelSmoothing", "0.0",
            "rpoAlpha", "1.0",
            "ptxCoef", "1.0",
            "lr", "0.0001",
            "minLr", "0.00001",
            "warmupSteps", "10",
            "weightDecay", "0.0",
            "gradClip", "1.0",
            "heldOutPercent", "10.0",
            "evalEvery", "10",
            "patience", "3",
            "maxNewTokens", "96",
            "maxChosenLogpDrop", "5.0",
            "seed", "1"));
  }

  private HyperParameterDefaults() {}

  /**
   * Every stage's defaults, stages in their order, names in the order the trainers declare them.
   */
  public static Map<TrainingStage, Map<String, String>> all() {
    return Collections.unmodifiableMap(DEFAULTS);
  }

  /** One stage's defaults by name, in the order the trainer declares them. */
  public static Map<String, String> of(TrainingStage stage) {
    return DEFAULTS.get(stage);
  }

  /**
   * Why the trainer could not read {@code value} as the named hyper-parameter, or null when it can.
   * The kind of value is the default's: {@code true} or {@code false}; a whole number (an int, a
   * long for {@code seed}); one of a few words ({@code lossType}); or any other number, which must
   * be finite as a float. A default is therefore written as the trainer reads it: {@code 10.0} for
   * a number that may have a fraction. Ranges and relations between values (such as {@code minLr}
   * at most {@code lr}) are the trainer's to check.
   *
   * @throws IllegalArgumentException when the stage has no such hyper-parameter
   */
  public static String problemWith(TrainingStage stage, String name, String value) {
    String byDefault = of(stage).get(name);
    if (byDefault == null) {
      throw new IllegalArgumentException(stage + " has no hyper-parameter '" + name + "'");
    }
    List<String> choices = CHOICES.get(name);
    if (choices != null) {
      return choices.contains(value) ? null : "must be one of " + String.join(", ", choices);
    }
    if (byDefault.equals("true") || byDefault.equals("false")) {
      return value.equals("true") || value.equals("false") ? null : "must be true or false";
    }
    try {
      if (byDefault.matches("-?\\d+")) {
        if (name.equals("seed")) Long.parseLong(value);
        else Integer.parseInt(value);
        return null;
      }
      return Float.isFinite(Float.parseFloat(value)) ? null : "must be a finite number";
    } catch (NumberFormatException e) {
      return byDefault.matches("-?\\d+") ? "must be a whole number" : "must be a number";
    }
  }

  private static Map<String, String> ordered(String... pairs) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) map.put(pairs[i], pairs[i + 1]);
    return Collections.unmodifiableMap(map);
  }
}
