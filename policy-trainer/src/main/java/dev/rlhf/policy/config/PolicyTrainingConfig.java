package dev.rlhf.policy.config;

import dev.rlhf.events.contract.TrainingStage;
import java.lang.reflect.RecordComponent;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Every tunable of a policy training run, with defaults in one place. Saved as JSON next to each
 * checkpoint, so a version says how it was trained.
 *
 * @param sft supervised fine-tuning
 * @param ppo reinforcement learning from the reward
 * @param dpo direct preference optimisation
 */
public record PolicyTrainingConfig(SftConfig sft, PpoConfig ppo, DpoConfig dpo) {

  private static final Map<String, Class<? extends Record>> STAGES =
      Map.of("sft", SftConfig.class, "ppo", PpoConfig.class, "dpo", DpoConfig.class);

  public static PolicyTrainingConfig defaults() {
    return new PolicyTrainingConfig(
        SftConfig.defaults(), PpoConfig.defaults(), DpoConfig.defaults());
  }

  /**
   * The defaults overridden by a training command's hyper-parameters, named like the record
   * components ({@code steps}, {@code lr}, {@code klHardLimit}...); a name may be prefixed with
   * {@code sft.}, {@code ppo.} or {@code dpo.}, and a name without one applies to every stage that
   * has it. Unknown names are refused, so a typo never silently trains with a default.
   */
  public PolicyTrainingConfig withOverrides(Map<String, String> hyperParameters) {
    Map<String, Map<String, String>> byStage = new HashMap<>();
    STAGES.keySet().forEach(stage -> byStage.put(stage, new HashMap<>()));
    for (Map.Entry<String, String> e : hyperParameters.entrySet()) {
      String name = e.getKey();
      int dot = name.indexOf('.');
      if (dot > 0 && STAGES.containsKey(name.substring(0, dot))) {
        String stage = name.substring(0, dot);
        if (!has(STAGES.get(stage), name.substring(dot + 1))) {
          throw new IllegalArgumentException("unknown hyper-parameter: " + name);
        }
        byStage.get(stage).put(name.substring(dot + 1), e.getValue());
        continue;
      }
      boolean known = false;
      for (var stage : STAGES.entrySet()) {
        if (has(stage.getValue(), name)) {
          byStage.get(stage.getKey()).put(name, e.getValue());
          known = true;
        }
      }
      if (!known) {
        throw new IllegalArgumentException("unknown hyper-parameter: " + name);
      }
    }
    return new PolicyTrainingConfig(
        override(sft, byStage.get("sft")),
        override(ppo, byStage.get("ppo")),
        override(dpo, byStage.get("dpo")));
  }

  /**
   * The defaults overridden for a run of {@code stage}: names without a stage prefix are that
   * stage's (a command carries its own stage's hyper-parameters, and {@code lr} of a DPO run is not
   * SFT's).
   */
  public static PolicyTrainingConfig forStage(
      TrainingStage stage, Map<String, String> hyperParameters) {
    String own = stage.name().toLowerCase(Locale.ROOT);
    if (!STAGES.containsKey(own)) {
      throw new IllegalArgumentException("policy-trainer runs SFT, PPO and DPO, not " + stage);
    }
    String prefix = own + ".";
    Map<String, String> prefixed = new HashMap<>();
    hyperParameters.forEach(
        (name, value) -> {
          int dot = name.indexOf('.');
          boolean hasPrefix = dot > 0 && STAGES.containsKey(name.substring(0, dot));
          if (!hasPrefix && !has(STAGES.get(own), name)) {
            throw new IllegalArgumentException("unknown hyper-parameter: " + name);
          }
          prefixed.put(hasPrefix ? name : prefix + name, value);
        });
    return defaults().withOverrides(prefixed);
  }

  private static boolean has(Class<?> type, String name) {
    for (RecordComponent c : type.getRecordComponents()) {
      if (c.getName().equals(name)) {
        return true;
      }
    }
    return false;
  }

  private static <R extends Record> R override(R record, Map<String, String> values) {
    if (values.isEmpty()) {
      return record;
    }
    Map<String, String> all = new HashMap<>();
    try {
      for (RecordComponent c : record.getClass().getRecordComponents()) {
        all.put(c.getName(), String.valueOf(c.getAccessor().invoke(record)));
      }
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
    all.putAll(values);
    @SuppressWarnings("unchecked")
    Class<R> type = (Class<R>) record.getClass();
    return parse(type, all);
  }

  /**
   * A configuration record from a text value for each of its components, by name.
   *
   * @throws IllegalArgumentException naming a missing, unknown or unusable value
   */
  static <R extends Record> R parse(Class<R> type, Map<String, String> values) {
    RecordComponent[] components = type.getRecordComponents();
    Map<String, String> left = new HashMap<>(values);
    Object[] args = new Object[components.length];
    Class<?>[] types = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      RecordComponent c = components[i];
      types[i] = c.getType();
      String text = left.remove(c.getName());
      if (text == null) {
        throw new IllegalArgumentException(
            "no value for " + type.getSimpleName() + "." + c.getName());
      }
      args[i] = value(c.getType(), c.getName(), text.trim());
    }
    if (!left.isEmpty()) {
      throw new IllegalArgumentException("unknown hyper-parameters: " + left.keySet());
    }
    try {
      return type.getDeclaredConstructor(types).newInstance(args);
    } catch (ReflectiveOperationException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new IllegalArgumentException(cause.getMessage(), cause);
    }
  }

  private static Object value(Class<?> type, String name, String text) {
    try {
      if (type == int.class) {
        return Integer.parseInt(text);
      }
      if (type == long.class) {
        return Long.parseLong(text);
      }
      if (type == float.class) {
        return Float.parseFloat(text);
      }
      if (type.isEnum()) {
        for (Object constant : type.getEnumConstants()) {
          if (((Enum<?>) constant).name().equalsIgnoreCase(text)) return constant;
        }
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("unparsable hyper-parameter: " + name + "=" + text, e);
    }
    if (type == boolean.class && (text.equals("true") || text.equals("false"))) {
      return Boolean.parseBoolean(text);
    }
    throw new IllegalArgumentException("unparsable hyper-parameter: " + name + "=" + text);
  }
}
