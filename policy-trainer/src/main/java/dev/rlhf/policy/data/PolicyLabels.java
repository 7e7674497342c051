package dev.rlhf.policy.data;

import dev.rlhf.events.contract.DemonstrationSubmitted;
import dev.rlhf.events.contract.RankingSubmitted;
import dev.rlhf.training.LabelStore;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * The labels this trainer keeps so that a run trains on exactly its snapshot: demonstrations (SFT's
 * examples, and prompts) and rankings (PPO's prompts, the pairs of preference optimisation).
 */
public final class PolicyLabels implements AutoCloseable {

  public static final String DEMONSTRATIONS = "demonstrations.jsonl";
  public static final String RANKINGS = "rankings.jsonl";

  private final LabelStore<DemonstrationSubmitted> demonstrations;
  private final LabelStore<RankingSubmitted> rankings;

  private PolicyLabels(
      LabelStore<DemonstrationSubmitted> demonstrations, LabelStore<RankingSubmitted> rankings) {
    this.demonstrations = demonstrations;
    this.rankings = rankings;
  }

  /** Opens (or creates) both stores in {@code directory}. */
  public static PolicyLabels open(Path directory) {
    LabelStore<DemonstrationSubmitted> demonstrations =
        LabelStore.open(directory.resolve(DEMONSTRATIONS), DemonstrationSubmitted.class);
    try {
      return new PolicyLabels(
          demonstrations, LabelStore.open(directory.resolve(RANKINGS), RankingSubmitted.class));
    } catch (RuntimeException e) {
      demonstrations.close();
      throw e;
    }
  }

  public LabelStore<DemonstrationSubmitted> demonstrations() {
    return demonstrations;
  }

  public LabelStore<RankingSubmitted> rankings() {
    return rankings;
  }

  /** The ids of a snapshot that neither store holds (yet). */
  public List<UUID> missing(Collection<UUID> eventIds) {
    return eventIds.stream()
        .distinct()
        .filter(id -> !demonstrations.contains(id) && !rankings.contains(id))
        .toList();
  }

  @Override
  public void close() {
    try {
      demonstrations.close();
    } finally {
      rankings.close();
    }
  }
}
