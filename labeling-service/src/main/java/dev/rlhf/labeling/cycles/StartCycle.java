package dev.rlhf.labeling.cycles;

import dev.rlhf.labeling.quality.consensus.ConsensusRequest;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What a researcher sends to start a cycle. {@code stages} run in the order SFT, REWARD, PPO, DPO
 * (any non-empty subsequence; DPO learns from the rankings without a reward model); {@code
 * rewardVersion} is needed for PPO without a REWARD stage; {@code hyperParameters} maps a stage
 * name to overrides of its defaults; {@code projectId} limits the snapshot to one project's labels;
 * {@code rewardGateOverride} is the reason to let PPO use a reward model below the accuracy gate;
 * {@code snapshot} says which labels the snapshot holds (arena votes, reviewed only, guideline
 * version, dates, contractors; see {@link SnapshotFilter}); {@code consensus}, when given, makes
 * REWARD and DPO train on the consensus of overlapping rankings with trust-weighted pairs instead
 * of every ranking's pairs at weight 1.
 */
public record StartCycle(
    UUID projectId,
    List<String> stages,
    String baseVersion,
    String rewardVersion,
    Map<String, Map<String, String>> hyperParameters,
    String rewardGateOverride,
    SnapshotFilter snapshot,
    ConsensusRequest consensus) {}
