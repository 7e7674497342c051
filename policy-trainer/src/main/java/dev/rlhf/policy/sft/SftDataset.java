package dev.rlhf.policy.sft;

import dev.rlhf.events.contract.DemonstrationSubmitted;
import dev.rlhf.lm.tokenizer.ChatTemplate;
import dev.rlhf.policy.data.Conversations;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Demonstrations as training and validation examples. The split is by prompt: every demonstration
 * of a held-out prompt is held out, so validation measures answering unseen prompts rather than
 * recalling a seen one.
 */
public final class SftDataset {

  private final List<SftExample> train;
  private final List<SftExample> validation;

  private SftDataset(List<SftExample> train, List<SftExample> validation) {
    this.train = List.copyOf(train);
    this.validation = List.copyOf(validation);
  }

  /**
   * @param contextTokens the network's context; longer conversations are cut (their response tail
   *     would not fit anyway)
   */
  public static SftDataset split(
      List<DemonstrationSubmitted> demonstrations,
      ChatTemplate template,
      int contextTokens,
      float validationFraction,
      long seed) {
    Set<UUID> prompts = new TreeSet<>();
    demonstrations.forEach(d -> prompts.add(d.promptId()));
    List<UUID> order = new ArrayList<>(prompts);
    Collections.shuffle(order, new Random(seed));
    int held = (int) Math.round(order.size() * validationFraction);
    if (validationFraction > 0 && order.size() > 1) {
      held = Math.max(1, Math.min(held, order.size() - 1));
    }
    Set<UUID> heldOut = Set.copyOf(order.subList(0, held));
    List<SftExample> train = new ArrayList<>();
    List<SftExample> validation = new ArrayList<>();
    for (DemonstrationSubmitted d : demonstrations) {
      SftExample e = encode(d, template, contextTokens + 1);
      (heldOut.contains(d.promptId()) ? validation : train).add(e);
    }
    if (train.isEmpty()) {
      throw new IllegalArgumentException("no demonstrations to train on");
    }
    return new SftDataset(train, validation);
  }

  private static SftExample encode(DemonstrationSubmitted d, ChatTemplate template, int limit) {
    ChatTemplate.Encoded enc = template.encode(Conversations.withResponse(d));
    int n = Math.min(limit, enc.tokens().length);
    int[] prompt = template.promptForCompletion(Conversations.prompt(d));
    return new SftExample(
        d.promptId(), Arrays.copyOf(enc.tokens(), n), Arrays.copyOf(enc.lossMask(), n), prompt);
  }

  public List<SftExample> train() {
    return train;
  }

  public List<SftExample> validation() {
    return validation;
  }
}
