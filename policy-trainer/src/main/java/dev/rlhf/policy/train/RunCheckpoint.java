package dev.rlhf.policy.train;

import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.lm.LanguageModel;
import dev.rlhf.lm.checkpoint.CheckpointKind;
import dev.rlhf.lm.checkpoint.CheckpointMetadata;
import dev.rlhf.lm.checkpoint.Checkpoints;
import dev.rlhf.lm.train.AdamW;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running run's own checkpoint in its work directory: the network with its heads and the
 * optimizer state in {@code policy/}, and the run's state (a JSON record) next to it. The files are
 * written in that order and each records its step, so a state file never describes weights of
 * another step; an optimizer state of another step (the run stopped between the writes) only costs
 * fresh moment estimates.
 *
 * @param <S> what the run needs besides the weights to go on where it stopped
 */
public final class RunCheckpoint<S extends RunCheckpoint.State> {

  /** A run's progress as saved beside its weights. */
  public interface State {
    /** Steps completed. */
    int step();
  }

  /**
   * What the weights are saved as.
   *
   * @param lineage the data lineage recorded in the metadata
   */
  public record Identity(
      CheckpointKind kind, String version, String parent, Map<String, Object> lineage) {
    public Identity {
      lineage = Collections.unmodifiableMap(new LinkedHashMap<>(lineage));
    }
  }

  private static final Logger LOG = LoggerFactory.getLogger(RunCheckpoint.class);
  private static final String NETWORK_DIR = "policy";
  private static final String BEST_DIR = "best";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path workDir;
  private final String stateFile;
  private final Class<S> stateType;
  private final Identity identity;

  public RunCheckpoint(Path workDir, String stateFile, Class<S> stateType, Identity identity) {
    this.workDir = workDir;
    this.stateFile = stateFile;
    this.stateType = stateType;
    this.identity = identity;
  }

  public boolean exists() {
    return Files.isRegularFile(workDir.resolve(stateFile)) && Checkpoints.exists(networkDir());
  }

  /** The saved network, heads included. */
  public LanguageModel network(Device device) {
    return Checkpoints.load(networkDir(), device);
  }

  /** The saved state; its step must be that of the saved weights. */
  public S state() {
    try {
      S state = JSON.readValue(workDir.resolve(stateFile).toFile(), stateType);
      long weightsStep = Checkpoints.readMetadata(networkDir()).step();
      if (weightsStep != state.step()) {
        throw new IllegalStateException(
            "state of step " + state.step() + " next to weights of step " + weightsStep);
      }
      return state;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + stateFile + " in " + workDir, e);
    }
  }

  /** Gives {@code adam} the moment estimates saved with {@code state}, when they were. */
  public void restoreOptimizer(AdamW adam, S state) {
    if (!adam.restore(networkDir().resolve(AdamW.STATE_FILE), state.step())) {
      LOG.warn(
          "no optimizer state of step {} in {}: moment estimates start afresh",
          state.step(),
          workDir);
    }
  }

  public void save(LanguageModel network, AdamW adam, S state) {
    Checkpoints.save(
        networkDir(),
        network,
        CheckpointMetadata.now(
            network.config(),
            network.tokenizer().name(),
            identity.kind(),
            identity.version(),
            identity.parent(),
            identity.lineage(),
            Map.of(),
            state.step()));
    adam.save(networkDir().resolve(AdamW.STATE_FILE), state.step());
    try {
      Path tmp = workDir.resolve(stateFile + ".tmp");
      JSON.writeValue(tmp.toFile(), state);
      Files.move(
          tmp,
          workDir.resolve(stateFile),
          StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save " + stateFile + " in " + workDir, e);
    }
  }

  /**
   * Keeps the weights of {@code step} as the run's best so far (one copy, replaced), for a run that
   * must roll back when a guard trips.
   */
  public void saveBest(LanguageModel network, int step) {
    Checkpoints.save(
        workDir.resolve(BEST_DIR),
        network,
        CheckpointMetadata.now(
            network.config(),
            network.tokenizer().name(),
            identity.kind(),
            identity.version(),
            identity.parent(),
            identity.lineage(),
            Map.of(),
            step));
  }

  /** Puts the best weights kept back into {@code network}; answers their step. */
  public int restoreBest(LanguageModel network) {
    Path best = workDir.resolve(BEST_DIR);
    try (LanguageModel saved = Checkpoints.load(best, network.device())) {
      network.load(saved.weights());
    }
    return (int) Checkpoints.readMetadata(best).step();
  }

  private Path networkDir() {
    return workDir.resolve(NETWORK_DIR);
  }
}
