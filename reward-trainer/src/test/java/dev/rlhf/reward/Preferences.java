package dev.rlhf.reward;

import ai.djl.Device;
import ai.djl.engine.Engine;
import dev.rlhf.lm.LanguageModel;
import dev.rlhf.lm.checkpoint.CheckpointKind;
import dev.rlhf.lm.checkpoint.CheckpointMetadata;
import dev.rlhf.lm.checkpoint.Checkpoints;
import dev.rlhf.lm.nn.GptConfig;
import dev.rlhf.lm.tokenizer.ByteTokenizer;
import java.nio.file.Path;
import java.util.Map;

/** Reward-model test networks; the rankings themselves are training's {@code Rankings}. */
public final class Preferences {

  private Preferences() {}

  /** A randomly initialised tiny byte-level network saved as a base checkpoint. */
  public static Path tinyBase(Path dir) {
    Engine.getInstance().setRandomSeed(7);
    GptConfig config =
        new GptConfig(2, 2, 32, 128, new ByteTokenizer().vocabSize(), 0f, true, true);
    try (LanguageModel lm = LanguageModel.create(config, new ByteTokenizer(), Device.cpu())) {
      Checkpoints.save(
          dir,
          lm,
          CheckpointMetadata.now(
              config,
              lm.tokenizer().name(),
              CheckpointKind.SFT,
              "tiny-sft",
              null,
              Map.of(),
              Map.of(),
              0));
    }
    return dir;
  }

  /** Hyper-parameters that train the tiny network from scratch in seconds. */
  public static Map<String, String> tinyHyperParameters() {
    return Map.of(
        "lr", "3e-3",
        "minLr", "3e-4",
        "warmupSteps", "5",
        "epochs", "3",
        "patience", "2",
        "heldOutPercent", "20",
        "checkpointEvery", "5",
        "progressEvery", "5");
  }
}
