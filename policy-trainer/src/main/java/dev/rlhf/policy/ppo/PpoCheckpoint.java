package dev.rlhf.policy.ppo;

import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.lm.LanguageModel;
import dev.rlhf.lm.checkpoint.CheckpointKind;
import dev.rlhf.lm.checkpoint.CheckpointMetadata;
import dev.rlhf.lm.checkpoint.Checkpoints;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * A running PPO run's own checkpoint, in its work directory: the policy with its value head and the
 * {@link PpoState}. The state is written after the weights, and the weights record the step they
 * belong to, so a state file never describes weights that were not written. The optimizer's moment
 * estimates are not kept: a resumed run restarts Adam's averages (a few steps of warm-up noise).
 */
public final class PpoCheckpoint {

  private static final String POLICY_DIR = "policy";
  private static final String STATE_FILE = "ppo-state.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private PpoCheckpoint() {}

  public static boolean exists(Path workDir) {
    return Files.isRegularFile(workDir.resolve(STATE_FILE))
        && Checkpoints.exists(workDir.resolve(POLICY_DIR));
  }

  public static void save(
      Path workDir,
      LanguageModel policy,
      PpoState state,
      String version,
      String parent,
      Map<String, Object> lineage) {
    Checkpoints.save(
        workDir.resolve(POLICY_DIR),
        policy,
        CheckpointMetadata.now(
            policy.config(),
            policy.tokenizer().name(),
            CheckpointKind.POLICY,
            version,
            parent,
            lineage,
            Map.of(),
            state.step()));
    try {
      Path tmp = workDir.resolve(STATE_FILE + ".tmp");
      JSON.writeValue(tmp.toFile(), state);
      Files.move(
          tmp,
          workDir.resolve(STATE_FILE),
          StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save PPO state in " + workDir, e);
    }
  }

  public static PpoState state(Path workDir) {
    try {
      PpoState state = JSON.readValue(workDir.resolve(STATE_FILE).toFile(), PpoState.class);
      long weightsStep = Checkpoints.readMetadata(workDir.resolve(POLICY_DIR)).step();
      if (weightsStep != state.step()) {
        throw new IllegalStateException(
            "PPO state of step " + state.step() + " next to weights of step " + weightsStep);
      }
      return state;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read PPO state in " + workDir, e);
    }
  }

  public static LanguageModel policy(Path workDir, Device device) {
    return Checkpoints.load(workDir.resolve(POLICY_DIR), device);
  }
}
