package dev.rlhf.launcher;

import dev.rlhf.lm.demo.DemoCorpus;
import dev.rlhf.lm.nn.GptConfig;
import dev.rlhf.lm.pretrain.PretrainListener;
import dev.rlhf.lm.pretrain.PretrainOptions;
import dev.rlhf.lm.pretrain.Pretrainer;
import dev.rlhf.lm.tokenizer.ByteTokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

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

  /** Where this JVM pretrained it: the integration tests that need it copy it from here. */
  private static Path pretrained;

  /**
   * Puts the tiny base into {@code checkpoints/tiny-base}; returns that directory. The first call
   * in a JVM pretrains it (seeded: every call would make the same network), later ones copy it.
   */
  static synchronized Path pretrain(Path checkpoints) {
    Path directory = checkpoints.resolve(NAME);
    try {
      if (pretrained == null) {
        Path made = Files.createTempDirectory("rlhf-tiny-base-").resolve(NAME);
        pretrainInto(made);
        Runtime.getRuntime()
            .addShutdownHook(new Thread(() -> SharedStacks.deleteQuietly(made.getParent())));
        pretrained = made;
      }
      Files.createDirectories(directory);
      try (Stream<Path> files = Files.walk(pretrained)) {
        for (Path file : (Iterable<Path>) files::iterator) {
          Path target = directory.resolve(pretrained.relativize(file).toString());
          if (Files.isDirectory(file)) Files.createDirectories(target);
          else Files.copy(file, target);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return directory;
  }

  private static void pretrainInto(Path directory) {
    PretrainOptions options =
        new PretrainOptions(
            GptConfig.tiny(), STEPS, 8, 3e-3f, 3e-4f, 4, 0.1f, 1f, STEPS, 1, 0, SEED, 0.05);
    new Pretrainer(options, new ByteTokenizer(), PretrainListener.NONE)
        .run(
            new DemoCorpus(SEED).documents(DOCUMENTS),
            "demo corpus, seed " + SEED + ", " + DOCUMENTS + " documents",
            directory,
            NAME);
  }
}
