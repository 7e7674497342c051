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
 * Loads the base network in the background at start, so HTTP (health, metrics) is up at once and
 * readiness turns UP when a network is there. The demo base may first need minutes of pretraining.
 */
@ApplicationScoped
public class BaseModelLoader {

  private final VersionRegistry registry;
  private final RuntimeSettings settings;
  private final CheckpointSettings checkpoints;

  BaseModelLoader(
      VersionRegistry registry, RuntimeSettings settings, CheckpointSettings checkpoints) {
    this.registry = registry;
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
      registry.serveBase(versionName(dir), dir);
    } catch (RuntimeException e) {
      Log.errorf(e, "cannot load the base network; readiness stays DOWN");
    }
  }

  private static Path pretrainDemoBase(Path checkpointsDir) {
    Log.infof("preparing the demo base under %s (pretrained once, then reused)", checkpointsDir);
    return BaseModels.ensureDemoBase(
        checkpointsDir,
        new PretrainListener() {
          @Override
          public void onEvaluation(int step, float trainLoss, float validationLoss) {
            Log.infof("demo base pretraining: step %d, validation loss %.3f", step, validationLoss);
          }
        });
  }

  /** The name the checkpoint gives itself, else its directory's name. */
  private static String versionName(Path dir) {
    CheckpointMetadata metadata = Checkpoints.readMetadata(dir);
    String version = metadata.version();
    return version == null || version.isBlank() ? dir.getFileName().toString() : version;
  }
}
