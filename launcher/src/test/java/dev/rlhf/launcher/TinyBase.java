package dev.rlhf.launcher;

import dev.rlhf.lm.demo.DemoCorpus;
import dev.rlhf.lm.nn.GptConfig;
import dev.rlhf.lm.pretrain.PretrainListener;
import dev.rlhf.lm.pretrain.PretrainOptions;
import dev.rlhf.lm.pretrain.Pretrainer;
import dev.rlhf.lm.tokenizer.ByteTokenizer;
import java.nio.file.Path;

/**
 * A base network pretrained in seconds instead of the demo base's minutes: {@link GptConfig#tiny()}
 * (context 64) for a few dozen steps on the demo corpus. It writes little sense; the end-to-end
 * test asserts the pipeline, not the quality of what it trains.
 */
final class TinyBase {

  /** The version name the checkpoint gives itself, and its directory's name. */
  static final String NAME = "tiny-base";

  private static final int STEPS = 40;
  private static final int DOCUMENTS = 500;
  private static final long SEED = 1;

  private TinyBase() {}

  /** Pretrains the tiny base into {@code checkpoints/tiny-base}; returns that directory. */
  static Path pretrain(Path checkpoints) {
    PretrainOptions options =
        new PretrainOptions(
            GptConfig.tiny(), STEPS, 8, 3e-3f, 3e-4f, 4, 0.1f, 1f, STEPS, 1, 0, SEED, 0.05);
    Path directory = checkpoints.resolve(NAME);
    new Pretrainer(options, new ByteTokenizer(), PretrainListener.NONE)
        .run(
            new DemoCorpus(SEED).documents(DOCUMENTS),
            "demo corpus, seed " + SEED + ", " + DOCUMENTS + " documents",
            directory,
            NAME);
    return directory;
  }
}
