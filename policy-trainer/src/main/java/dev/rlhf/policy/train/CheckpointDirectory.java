package dev.rlhf.policy.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.rlhf.lm.checkpoint.Checkpoints;
import dev.rlhf.lm.checkpoint.VersionDirectories;
import dev.rlhf.policy.config.PolicyTrainingConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The shared checkpoints directory: published versions directly under it (as reward-trainer
 * publishes), this trainer's own state under {@code policy-trainer/}, or under {@code
 * policy-trainer/replicas/<replica>/} for one of several replicas that share the directory (each
 * keeps its own label store and runs).
 *
 * @param replica this replica's name, or null for a trainer that runs alone
 */
public record CheckpointDirectory(Path root, String replica) {

  public static final String CONFIG_FILE = "training-config.json";
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private static final Pattern REPLICA = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

  public CheckpointDirectory {
    if (replica != null && !REPLICA.matcher(replica).matches()) {
      throw new IllegalArgumentException(
          "replica '" + replica + "' must be 1 to 63 letters, digits, '.', '_' or '-'");
    }
  }

  /** The directory of a trainer that runs alone. */
  public CheckpointDirectory(Path root) {
    this(root, null);
  }

  /** Where this trainer keeps its demonstration store and run directories. */
  public Path trainerState() {
    Path own = root.resolve("policy-trainer");
    return replica == null ? own : own.resolve("replicas").resolve(replica);
  }

  /**
   * Where the parts of large snapshots wait for their commands: shared by the replicas, since a
   * rebalance may hand a command to another replica than the one that read its parts.
   */
  public Path snapshotParts() {
    return root.resolve("policy-trainer").resolve("snapshot-parts");
  }

  /** A run's work directory (its resumable checkpoint and its request). */
  public Path run(java.util.UUID runId) {
    return trainerState().resolve("runs").resolve(runId.toString());
  }

  /** The checkpoint of a version named by a command: its directory under the root, nowhere else. */
  public Path resolve(String version) {
    Path candidate = VersionDirectories.of(root, version);
    if (!Checkpoints.exists(candidate)) {
      throw new IllegalArgumentException("checkpoint " + version + " not found under " + root);
    }
    return candidate;
  }

  /** Writes the run's configuration next to a checkpoint's weights. */
  public static void saveConfig(Path checkpoint, PolicyTrainingConfig config) {
    try {
      Files.createDirectories(checkpoint);
      JSON.writeValue(checkpoint.resolve(CONFIG_FILE).toFile(), config);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + CONFIG_FILE + " in " + checkpoint, e);
    }
  }

  /**
   * Moves a finished checkpoint under its version name in one rename, so readers see either no
   * version or a complete one.
   */
  public Path publish(Path staged, String version) {
    Path target = VersionDirectories.of(root, version);
    try {
      if (Files.exists(target)) {
        deleteRecursively(target);
      }
      Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot publish " + staged + " as " + target, e);
    }
  }

  static void deleteRecursively(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
