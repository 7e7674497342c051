package dev.rlhf.policy.train;

import dev.rlhf.events.contract.PolicyEvaluation;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A finished run's published version.
 *
 * @param labelEventIds lineage: the label events it was trained on
 * @param warnings what the researcher must know about it (a guard that stopped the run)
 * @param evaluation the version judged against its parent, or null
 */
public record RunOutcome(
    String version,
    String parentVersion,
    Path checkpoint,
    Map<String, Double> metrics,
    List<UUID> labelEventIds,
    List<String> warnings,
    PolicyEvaluation evaluation) {}
