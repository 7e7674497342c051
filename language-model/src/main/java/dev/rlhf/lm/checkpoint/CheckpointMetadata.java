package dev.rlhf.lm.checkpoint;

import dev.rlhf.lm.nn.GptConfig;
import java.time.Instant;
import java.util.Map;

/**
 * What {@code checkpoint.json} says about a checkpoint: enough to rebuild the network and to know
 * where it came from.
 *
 * @param config architecture
 * @param tokenizer tokenizer name ({@code Tokenizer.byName})
 * @param kind training stage
 * @param version this version's name, e.g. {@code sft-3}
 * @param parentVersion the version it was trained from, or null
 * @param dataLineage free-form description of the exact training data (label event ids, counts,
 *     corpus description)
 * @param metrics final metrics, e.g. {@code val_loss}
 * @param step optimizer steps taken
 * @param createdAt ISO-8601 instant
 */
public record CheckpointMetadata(
    GptConfig config,
    String tokenizer,
    CheckpointKind kind,
    String version,
    String parentVersion,
    Map<String, Object> dataLineage,
    Map<String, Double> metrics,
    long step,
    String createdAt) {

  public CheckpointMetadata {
    dataLineage = dataLineage == null ? Map.of() : Map.copyOf(dataLineage);
    metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
  }

  /** Metadata stamped with the current time. */
  public static CheckpointMetadata now(
      GptConfig config,
      String tokenizer,
      CheckpointKind kind,
      String version,
      String parentVersion,
      Map<String, Object> dataLineage,
      Map<String, Double> metrics,
      long step) {
    return new CheckpointMetadata(
        config,
        tokenizer,
        kind,
        version,
        parentVersion,
        dataLineage,
        metrics,
        step,
        Instant.now().toString());
  }
}
