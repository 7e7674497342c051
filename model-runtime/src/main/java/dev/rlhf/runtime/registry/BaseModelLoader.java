package dev.rlhf.runtime.registry;

import dev.rlhf.lm.checkpoint.CheckpointMetadata;
import dev.rlhf.lm.checkpoint.Checkpoints;
import dev.rlhf.lm.demo.BaseModels;
import dev.rlhf.lm.pretrain.PretrainListener;
import dev.rlhf.runtime.config.CheckpointSettings;
import dev.rlhf.runtime.config.RuntimeSettings;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.file.Path;

/**
 * Loads the base network in the background at start, so HTTP (health, metrics) is up at once. The
 * demo base may first need minutes of pretraining; {@link BasePreparation} tells everyone how far
 * it is, or why it failed.
 */
@ApplicationScoped
public class BaseModelLoader {

  private final VersionRegistry registry;
  private final BasePreparation preparation;
  private final RuntimeSettings settings;
  private final CheckpointSettings checkpoints;

  BaseModelLoader(
      VersionRegistry registry,
      BasePreparation preparation,
      RuntimeSettings settings,
      CheckpointSettings checkpoints) {
    this.registry = registry;
    this.preparation = preparation;
    this.settings = settings;
    this.checkpoints = checkpoints;
  }

  void start(@Observes StartupEvent event) {
    Thread loader = new Thread(this::load, "base-model-loader");
    loader.setDaemon(true);
    loader.start();
  }

  private void load() {
    try {
      Path dir =
          settings
              .baseCheckpoint()
              .map(Path::of)
              .orElseGet(() -> pretrainDemoBase(Path.of(checkpoints.directory())));
      String version = versionName(dir);
      registry.serveBase(version, dir);
      preparation.ready(version);
    } catch (RuntimeException | Error e) {
      preparation.failed(reason(e));
      Log.errorf(e, "%s; readiness is DOWN", preparation.status().describe());
    }
  }

  private Path pretrainDemoBase(Path checkpointsDir) {
    int steps = settings.demoBaseSteps().orElse(BaseModels.DEMO_STEPS);
    Log.infof(
        "preparing the demo base under %s: %d pretraining steps, once (then reused)",
        checkpointsDir, steps);
    return BaseModels.ensureDemoBase(
        checkpointsDir,
        steps,
        new PretrainListener() {
          @Override
          public void onStep(int step, int totalSteps, float loss, float lr) {
            preparation.pretraining(step, totalSteps);
          }

          @Override
          public void onEvaluation(int step, float trainLoss, float validationLoss) {
            Log.infof(
                "demo base pretraining: step %d of %d, validation loss %.3f",
                step, steps, validationLoss);
          }
        });
  }

  /** The name the checkpoint gives itself, else its directory's name. */
  private static String versionName(Path dir) {
    CheckpointMetadata metadata = Checkpoints.readMetadata(dir);
    String version = metadata.version();
    return version == null || version.isBlank() ? dir.getFileName().toString() : version;
  }

  /** The innermost cause says what went wrong; the outer ones say where. */
  private static String reason(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message =
        root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return root == e || e.getMessage() == null ? message : e.getMessage() + " (" + message + ")";
  }
}
