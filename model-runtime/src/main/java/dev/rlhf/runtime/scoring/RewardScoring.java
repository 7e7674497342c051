package dev.rlhf.runtime.scoring;

import dev.rlhf.lm.Devices;
import dev.rlhf.lm.GradMode;
import dev.rlhf.lm.checkpoint.Checkpoints;
import dev.rlhf.lm.checkpoint.VersionDirectories;
import dev.rlhf.lm.reward.RewardScorer;
import dev.rlhf.lm.tokenizer.Turn;
import dev.rlhf.runtime.config.CheckpointSettings;
import dev.rlhf.runtime.config.RuntimeSettings;
import io.quarkus.logging.Log;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Scores sampled completions with a published reward model and its independent check model, for
 * completion requests that name one (active selection orders ranking tasks by how unsure they are).
 *
 * <p>All of it, loading included, runs on one thread of its own that keeps grad mode off: the
 * frozen networks never record a graph, a request's completions are scored as one batch in the
 * order given (the same input gives the same scores), and no network is closed while another thread
 * scores with it. The reward models loaded are cached by version (a version name names one
 * checkpoint), the least recently used unloaded past {@code rlhf.runtime.max-loaded-reward-models}.
 * A reward model's checkpoint is the directory of its name under the checkpoints root, its check
 * model the {@code check} directory inside it (where reward-trainer publishes them).
 */
@ApplicationScoped
public class RewardScoring {

  /** Directory of a reward model's check model inside its checkpoint. */
  static final String CHECK_MODEL = RewardScorer.CHECK_MODEL;

  /**
   * The scores of one request's completions, in their order.
   *
   * @param check the check model's scores; empty when the reward model has none
   */
  public record Scores(String version, List<Double> reward, List<Double> check) {}

  /** A reward model and its check model (null without one), loaded together. */
  private record Loaded(RewardScorer reward, RewardScorer check) {
    void close() {
      reward.close();
      if (check != null) check.close();
    }
  }

  private final Path checkpointsDir;
  private final int maxLoaded;
  private final Map<String, Loaded> loaded = new LinkedHashMap<>(4, 0.75f, true);
  private final ExecutorService thread =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t =
                new Thread(
                    () -> {
                      try (GradMode.Scope off = GradMode.off()) {
                        r.run();
                      }
                    },
                    "reward-scoring");
            t.setDaemon(true);
            return t;
          });

  RewardScoring(CheckpointSettings checkpoints, RuntimeSettings settings) {
    this.checkpointsDir = Path.of(checkpoints.directory());
    this.maxLoaded = Math.max(1, settings.maxLoadedRewardModels());
  }

  /**
   * Scores the completions of one conversation with the named reward model.
   *
   * @throws IllegalArgumentException when the version is no name, has no reward checkpoint here, or
   *     its checkpoint is no reward model
   */
  public Scores score(String version, List<Turn> conversation, List<String> completions) {
    Future<Scores> scores = thread.submit(() -> scoreHere(version, conversation, completions));
    try {
      return scores.get();
    } catch (InterruptedException e) {
      scores.cancel(true);
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while scoring with " + version, e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) throw runtime;
      throw new IllegalStateException(e.getCause());
    }
  }

  private Scores scoreHere(String version, List<Turn> conversation, List<String> completions) {
    Loaded models = loaded(version);
    List<Double> reward = boxed(models.reward().score(conversation, completions));
    List<Double> check =
        models.check() == null ? List.of() : boxed(models.check().score(conversation, completions));
    return new Scores(version, reward, check);
  }

  private Loaded loaded(String version) {
    Loaded present = loaded.get(version);
    if (present != null) return present;
    Path checkpoint = VersionDirectories.of(checkpointsDir, version);
    if (!Checkpoints.exists(checkpoint)) {
      throw new IllegalArgumentException("reward version " + version + " has no checkpoint here");
    }
    RewardScorer reward = RewardScorer.load(checkpoint, Devices.preferred());
    RewardScorer check = null;
    Path checkDir = checkpoint.resolve(CHECK_MODEL);
    if (Checkpoints.exists(checkDir)) {
      try {
        check = RewardScorer.load(checkDir, Devices.preferred());
      } catch (RuntimeException e) {
        Log.warnf("reward version %s: its check model cannot be loaded (%s)", version, e);
      }
    }
    Loaded fresh = new Loaded(reward, check);
    loaded.put(version, fresh);
    Log.infof("loaded reward model %s%s for scoring", version, check == null ? "" : " and check");
    Iterator<Map.Entry<String, Loaded>> oldest = loaded.entrySet().iterator();
    while (loaded.size() > maxLoaded) {
      Map.Entry<String, Loaded> victim = oldest.next();
      oldest.remove();
      victim.getValue().close();
      Log.infof("unloaded reward model %s (more than %d loaded)", victim.getKey(), maxLoaded);
    }
    return fresh;
  }

  private static List<Double> boxed(double[] scores) {
    return Arrays.stream(scores).boxed().toList();
  }

  @PreDestroy
  void close() {
    Future<?> closed =
        thread.submit(
            () -> {
              loaded.values().forEach(Loaded::close);
              loaded.clear();
            });
    try {
      closed.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      Log.warnf("closing the reward models failed: %s", e.getCause());
    }
    thread.shutdownNow();
  }
}
