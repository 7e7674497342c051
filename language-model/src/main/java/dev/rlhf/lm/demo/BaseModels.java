package dev.rlhf.lm.demo;

import dev.rlhf.lm.checkpoint.Checkpoints;
import dev.rlhf.lm.nn.GptConfig;
import dev.rlhf.lm.pretrain.PretrainCommand;
import dev.rlhf.lm.pretrain.PretrainListener;
import dev.rlhf.lm.pretrain.PretrainOptions;
import dev.rlhf.lm.pretrain.Pretrainer;
import dev.rlhf.lm.tokenizer.ByteTokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/** The demo base network: pretrained once on the demo corpus, then reused from disk. */
public final class BaseModels {

  /** Directory name of the demo base checkpoint under the checkpoints directory. */
  public static final String DEMO_BASE = "demo-base";

  /** Pretraining steps of the demo base (a few minutes on 2 CPU cores). */
  public static final int DEMO_STEPS = 800;

  private static final long SEED = 1;
  private static final int DOCUMENTS = 20_000;

  private BaseModels() {}

  /** 4 layers, 4 heads, 128 wide, context 128, byte tokens: ~0.8M parameters. */
  public static GptConfig demoConfig() {
    return new GptConfig(4, 4, 128, 128, new ByteTokenizer().vocabSize(), 0f, true, true);
  }

  /** The options the demo base is trained with, for {@code steps} steps. */
  public static PretrainOptions demoOptions(int steps) {
    PretrainOptions d = PretrainOptions.defaults(demoConfig(), steps, 16, SEED);
    return new PretrainOptions(
        d.config(),
        d.steps(),
        d.batch(),
        1.5e-3f,
        1.5e-4f,
        d.warmupSteps(),
        d.weightDecay(),
        d.gradClip(),
        d.evalEvery(),
        d.evalBatches(),
        d.sampleEvery(),
        SEED,
        d.validationFraction());
  }

  /**
   * Returns the demo base checkpoint directory, pretraining it first if it does not exist yet. It
   * is trained in a temporary directory and moved into place, so a crash never leaves a partial
   * checkpoint under the final name.
   *
   * @param steps pretraining steps if it must be made ({@link #DEMO_STEPS} for the real one)
   */
  public static Path ensureDemoBase(Path checkpointsDir, int steps, PretrainListener progress) {
    Path target = checkpointsDir.resolve(DEMO_BASE);
    if (Checkpoints.exists(target)) {
      return target;
    }
    try {
      Files.createDirectories(checkpointsDir);
      Path work = Files.createTempDirectory(checkpointsDir, DEMO_BASE + ".training-");
      new Pretrainer(demoOptions(steps), new ByteTokenizer(), progress)
          .run(
              new DemoCorpus(SEED).documents(DOCUMENTS),
              "demo corpus, seed " + SEED + ", " + DOCUMENTS + " documents",
              work,
              DEMO_BASE);
      if (Checkpoints.exists(target)) {
        deleteRecursively(work);
      } else {
        Files.move(work, target, StandardCopyOption.ATOMIC_MOVE);
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the demo base under " + checkpointsDir, e);
    }
  }

  /** Pretrains (or finds) the demo base under the directory given as the only argument. */
  public static void main(String[] args) {
    Path dir = Path.of(args.length > 0 ? args[0] : "checkpoints");
    PretrainOptions options = demoOptions(DEMO_STEPS);
    try (ProgressBar bar =
        new ProgressBarBuilder().setTaskName("demo base").setInitialMax(options.steps()).build()) {
      System.out.println(
          "demo base: "
              + ensureDemoBase(dir, DEMO_STEPS, PretrainCommand.progressBarListener(bar)));
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
