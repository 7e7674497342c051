package dev.rlhf.labeling.quality.consensus;

/**
 * What a researcher asks of a cycle's rankings: the overlapping rankings of each prompt become one
 * set of pairs by {@code method} (MAJORITY, BORDA or BRADLEY_TERRY), and contractors below the
 * thresholds are excluded or down-weighted. A field left out takes the configured default ({@code
 * rlhf.quality.*}); {@code method} defaults to MAJORITY. {@code confidence} is how sure a figure
 * must be to be under its threshold, given how many gold answers or comparisons it rests on ({@link
 * dev.rlhf.labeling.quality.TrustRule}).
 */
public record ConsensusRequest(
    String method,
    Double minGoldAccuracy,
    Double minAgreement,
    String belowThreshold,
    Double downWeight,
    Double confidence) {}
