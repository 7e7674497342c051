package dev.rlhf.policy.train;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A finished run's published version.
 *
 * @param labelEventIds lineage: the label events it was trained on
 */
public record RunOutcome(
    String version,
    String parentVersion,
    Path checkpoint,
    Map<String, Double> metrics,
    List<UUID> labelEventIds) {}
