package dev.rlhf.training.preferences;

import dev.rlhf.events.contract.ChatTurn;
import dev.rlhf.events.contract.RankingSubmitted;
import dev.rlhf.events.contract.WeightedPair;
import dev.rlhf.lm.tokenizer.Role;
import dev.rlhf.lm.tokenizer.Turn;
import dev.rlhf.training.HeldOutSplit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The pairs of a snapshot of rankings, grouped by prompt and split into training and held-out
 * prompts. It is a pure function of the rankings in the given order, so the same snapshot always
 * gives the same dataset. Several rankings of one prompt (e.g. by two contractors) join one group.
 */
public record PreferenceDataset(
    List<PromptComparisons> train, List<PromptComparisons> heldOut, List<UUID> labelEventIds) {

  public PreferenceDataset {
    train = List.copyOf(train);
    heldOut = List.copyOf(heldOut);
    labelEventIds = List.copyOf(labelEventIds);
  }

  public static PreferenceDataset of(List<RankingSubmitted> rankings, double heldOutPercent) {
    return of(rankings, heldOutPercent, List.of());
  }

  /**
   * The dataset of a training command: with {@code weightedPairs} (the consensus of the snapshot's
   * rankings) exactly those pairs with their weights, the rankings giving the texts and the
   * prompts' order; without, every pair of every ranking at weight 1.
   */
  public static PreferenceDataset of(
      List<RankingSubmitted> rankings, double heldOutPercent, List<WeightedPair> weightedPairs) {
    Map<UUID, Builder> byPrompt = new LinkedHashMap<>();
    for (RankingSubmitted r : rankings) {
      Builder b = byPrompt.computeIfAbsent(r.promptId(), id -> new Builder(id, r.conversation()));
      if (weightedPairs.isEmpty()) PairExpansion.pairs(r).forEach(b::add);
    }
    for (PreferencePair pair : WeightedPairs.resolve(rankings, weightedPairs)) {
      byPrompt.get(pair.promptId()).add(pair);
    }
    HeldOutSplit split = new HeldOutSplit(heldOutPercent);
    List<PromptComparisons> train = new ArrayList<>();
    List<PromptComparisons> heldOut = new ArrayList<>();
    for (Builder b : byPrompt.values()) {
      if (b.chosen.isEmpty()) continue;
      (split.isHeldOut(b.promptId) ? heldOut : train).add(b.build());
    }
    keepBothSidesNonEmpty(train, heldOut);
    return new PreferenceDataset(
        train, heldOut, rankings.stream().map(RankingSubmitted::eventId).toList());
  }

  /**
   * Training needs both sides, and with a handful of prompts (a first cycle, a small closed loop)
   * the hash alone often puts them all on one: then the prompt nearest the split's boundary changes
   * side. That depends on the prompt ids only, so the dataset stays a pure function of the
   * snapshot.
   */
  private static void keepBothSidesNonEmpty(
      List<PromptComparisons> train, List<PromptComparisons> heldOut) {
    Comparator<PromptComparisons> byBucket =
        Comparator.comparingInt(p -> HeldOutSplit.bucket(p.promptId()));
    if (heldOut.isEmpty() && train.size() > 1) {
      PromptComparisons nearest = Collections.min(train, byBucket);
      train.remove(nearest);
      heldOut.add(nearest);
    } else if (train.isEmpty() && heldOut.size() > 1) {
      PromptComparisons nearest = Collections.max(heldOut, byBucket);
      heldOut.remove(nearest);
      train.add(nearest);
    }
  }

  /**
   * The same pairs with the two sides exchanged: what the independent check model trains on (the
   * held-out prompts) and is measured on (the training prompts).
   */
  public PreferenceDataset swapped() {
    return new PreferenceDataset(heldOut, train, labelEventIds);
  }

  public int trainPairs() {
    return train.stream().mapToInt(PromptComparisons::pairCount).sum();
  }

  public int heldOutPairs() {
    return heldOut.stream().mapToInt(PromptComparisons::pairCount).sum();
  }

  /** The event contract's turns as the chat template's. */
  static List<Turn> turns(List<ChatTurn> conversation) {
    return conversation.stream()
        .map(t -> new Turn(Role.valueOf(t.role().name()), t.text()))
        .toList();
  }

  private static final class Builder {
    final UUID promptId;
    final List<Turn> conversation;
    final Map<String, Integer> index = new LinkedHashMap<>();
    final List<Integer> chosen = new ArrayList<>();
    final List<Integer> rejected = new ArrayList<>();
    final List<Float> weights = new ArrayList<>();

    Builder(UUID promptId, List<ChatTurn> conversation) {
      this.promptId = promptId;
      this.conversation = turns(conversation);
    }

    void add(PreferencePair pair) {
      chosen.add(index.computeIfAbsent(pair.chosen(), t -> index.size()));
      rejected.add(index.computeIfAbsent(pair.rejected(), t -> index.size()));
      weights.add(Math.max(Float.MIN_VALUE, (float) pair.weight()));
    }

    PromptComparisons build() {
      return new PromptComparisons(
          promptId,
          conversation,
          List.copyOf(index.keySet()),
          chosen.stream().mapToInt(Integer::intValue).toArray(),
          rejected.stream().mapToInt(Integer::intValue).toArray(),
          weights());
    }

    float[] weights() {
      float[] w = new float[weights.size()];
      for (int i = 0; i < w.length; i++) w[i] = weights.get(i);
      return w;
    }
  }
}
