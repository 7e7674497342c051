package dev.rlhf.policy.config;

import java.lang.reflect.RecordComponent;
import java.util.HashMap;
import java.util.Map;

/**
 * Every tunable of a policy training run, with defaults in one place. Saved as JSON next to each
 * checkpoint, so a version says how it was trained.
 *
 * @param sft supervised fine-tuning
 * @param ppo reinforcement learning from the reward
 */
public record PolicyTrainingConfig(SftConfig sft, PpoConfig ppo) {

  public static PolicyTrainingConfig defaults() {
    return new PolicyTrainingConfig(SftConfig.defaults(), PpoConfig.defaults());
  }

  /**
   * The defaults overridden by a training command's hyper-parameters, named like the record
   * components ({@code steps}, {@code lr}, {@code klHardLimit}...); a name may be prefixed with
   * {@code sft.} or {@code ppo.} where both have it. Unknown names are refused, so a typo never
   * silently trains with a default.
   */
  public PolicyTrainingConfig withOverrides(Map<String, String> hyperParameters) {
    Map<String, String> forSft = new HashMap<>();
    Map<String, String> forPpo = new HashMap<>();
    for (Map.Entry<String, String> e : hyperParameters.entrySet()) {
      String name = e.getKey();
      if (name.startsWith("sft.")) {
        forSft.put(name.substring(4), e.getValue());
      } else if (name.startsWith("ppo.")) {
        forPpo.put(name.substring(4), e.getValue());
      } else {
        boolean known = false;
        if (has(SftConfig.class, name)) {
          forSft.put(name, e.getValue());
          known = true;
        }
        if (has(PpoConfig.class, name)) {
          forPpo.put(name, e.getValue());
          known = true;
        }
        if (!known) {
          throw new IllegalArgumentException("unknown hyper-parameter: " + name);
        }
      }
    }
    return new PolicyTrainingConfig(override(sft, forSft), override(ppo, forPpo));
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
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("unparsable hyper-parameter: " + name + "=" + text, e);
    }
    if (type == boolean.class && (text.equals("true") || text.equals("false"))) {
      return Boolean.parseBoolean(text);
    }
    throw new IllegalArgumentException("unparsable hyper-parameter: " + name + "=" + text);
  }
}
