package dev.rlhf.policy.train;

import dev.rlhf.events.contract.DemonstrationSubmitted;
import dev.rlhf.events.contract.RankingSubmitted;
import dev.rlhf.lm.tokenizer.Turn;
import dev.rlhf.policy.data.Conversations;
import dev.rlhf.policy.data.PolicyLabels;
import dev.rlhf.policy.ppo.PromptPool;
import dev.rlhf.policy.sft.SftDataset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Which prompts of a run's snapshot PPO samples and a version is evaluated on. The evaluation uses
 * the project's held-out prompts when it has them; without them, the prompts SFT's split held out,
 * which PPO then leaves alone (DPO's are its preference split's held-out prompts).
 */
final class SnapshotPrompts {

  private static final int DEMO_WORLD_PROMPTS = 512;

  private SnapshotPrompts() {}

  /**
   * The prompts of the snapshot's demonstrations and rankings (the rankings' are where the reward
   * model learnt to judge), but those held out for the evaluation; or the demo world's when
   * configured.
   */
  static PromptPool forPpo(RunRequest request, PolicyLabels store) {
    if (request.config().ppo().demoWorldPrompts()) {
      return PromptPool.demoWorld(request.config().ppo().seed(), DEMO_WORLD_PROMPTS);
    }
    List<DemonstrationSubmitted> demonstrations =
        store.demonstrations().storedOf(request.labelEventIds());
    Set<UUID> heldOut = heldOut(request, demonstrations);
    Map<UUID, List<Turn>> byPrompt = new LinkedHashMap<>();
    for (DemonstrationSubmitted d : demonstrations) {
      if (!heldOut.contains(d.promptId())) {
        byPrompt.putIfAbsent(d.promptId(), Conversations.prompt(d));
      }
    }
    for (RankingSubmitted r : store.rankings().storedOf(request.labelEventIds())) {
      if (!heldOut.contains(r.promptId())) {
        byPrompt.putIfAbsent(r.promptId(), Conversations.turns(r.conversation()));
      }
    }
    if (byPrompt.isEmpty()) {
      throw new IllegalArgumentException(
          "no prompts: the snapshot names no stored demonstrations or rankings and"
              + " demoWorldPrompts is off");
    }
    return new PromptPool(List.copyOf(byPrompt.values()));
  }

  /** The snapshot's prompts SFT's split holds out (and PPO leaves alone). */
  static List<List<Turn>> heldOutDemonstrations(
      RunRequest request, List<DemonstrationSubmitted> demonstrations) {
    Set<UUID> heldOut = heldOut(request, demonstrations);
    Map<UUID, List<Turn>> byPrompt = new LinkedHashMap<>();
    for (DemonstrationSubmitted d : demonstrations) {
      if (heldOut.contains(d.promptId()))
        byPrompt.putIfAbsent(d.promptId(), Conversations.prompt(d));
    }
    return List.copyOf(byPrompt.values());
  }

  /** Without a project evaluation set, the snapshot's prompts SFT's split holds out. */
  private static Set<UUID> heldOut(
      RunRequest request, List<DemonstrationSubmitted> demonstrations) {
    if (!request.evaluationPrompts().isEmpty()) return Set.of();
    return SftDataset.heldOutPrompts(demonstrations, request.config().sft().validationFraction());
  }
}
