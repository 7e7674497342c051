package dev.rlhf.labeling.cycles;

import dev.rlhf.events.contract.HyperParameterDefaults;
import dev.rlhf.events.contract.TrainingStage;
import dev.rlhf.labeling.service.ApiProblem;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A cycle's hyper-parameters for one stage: the shared defaults ({@link HyperParameterDefaults},
 * which the trainers build their configurations from) with the researcher's overrides, checked when
 * the cycle starts (names, and that each value is of its kind), so that a typo is refused then
 * rather than when the trainer picks the run up, possibly after the stages before it.
 */
final class HyperParameterOverrides {

  private static final int MAX_VALUE_LENGTH = 100;

  private HyperParameterOverrides() {}

  /**
   * The defaults of a stage with the given overrides applied.
   *
   * @throws ApiProblem naming the first unknown name or unusable value
   */
  static Map<String, String> resolve(TrainingStage stage, Map<String, String> overrides) {
    Map<String, String> resolved = new LinkedHashMap<>(HyperParameterDefaults.of(stage));
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
      String problem = HyperParameterDefaults.problemWith(stage, e.getKey(), value);
      if (problem != null) {
        throw ApiProblem.invalid(field, e.getKey() + " " + problem + ", not '" + value + "'");
      }
      resolved.put(e.getKey(), value);
    }
    return resolved;
  }
}
