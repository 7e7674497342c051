package dev.rlhf.policy.ppo;

import dev.rlhf.lm.demo.DemoWorld;
import dev.rlhf.lm.tokenizer.Turn;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** The prompts PPO samples completions for. */
public final class PromptPool {

  private final List<List<Turn>> prompts;

  public PromptPool(List<List<Turn>> prompts) {
    if (prompts.isEmpty()) {
      throw new IllegalArgumentException("the prompt pool is empty");
    }
    this.prompts = List.copyOf(prompts);
  }

  /** {@code count} questions of the demo world. */
  public static PromptPool demoWorld(long seed, int count) {
    DemoWorld world = new DemoWorld(seed);
    List<List<Turn>> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(world.next().conversation());
    }
    return new PromptPool(out);
  }

  /** A batch drawn with replacement; the random source is the run's, so a resumed run agrees. */
  public List<List<Turn>> draw(int batch, Random random) {
    List<List<Turn>> out = new ArrayList<>();
    for (int i = 0; i < batch; i++) {
      out.add(prompts.get(random.nextInt(prompts.size())));
    }
    return out;
  }

  public int size() {
    return prompts.size();
  }
}
