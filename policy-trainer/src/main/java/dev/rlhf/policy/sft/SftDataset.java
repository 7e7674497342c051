package dev.rlhf.policy.sft;

import dev.rlhf.events.contract.DemonstrationSubmitted;
import dev.rlhf.lm.tokenizer.ChatTemplate;
import dev.rlhf.policy.data.Conversations;
import dev.rlhf.training.HeldOutSplit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
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
      float validationFraction) {
    Set<UUID> heldOut = heldOutPrompts(demonstrations, validationFraction);
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

  /**
   * The prompts held out of training, by the trainers' split of prompt ids: a pure function of the
   * ids, so a later run (PPO, the evaluation of a version) knows which prompts SFT never saw. With
   * a fraction above 0 and two prompts or more, at least one is held out and one is trained on.
   */
  public static Set<UUID> heldOutPrompts(
      List<DemonstrationSubmitted> demonstrations, float validationFraction) {
    Set<UUID> prompts = new TreeSet<>();
    demonstrations.forEach(d -> prompts.add(d.promptId()));
    HeldOutSplit split = new HeldOutSplit(100.0 * validationFraction);
    Set<UUID> heldOut = new TreeSet<>();
    for (UUID p : prompts) if (validationFraction > 0 && split.isHeldOut(p)) heldOut.add(p);
    Comparator<UUID> byBucket = Comparator.comparingInt(HeldOutSplit::bucket);
    if (validationFraction > 0 && prompts.size() > 1) {
      if (heldOut.isEmpty()) heldOut.add(Collections.min(prompts, byBucket));
      if (heldOut.size() == prompts.size()) heldOut.remove(Collections.max(prompts, byBucket));
    }
    return heldOut;
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
