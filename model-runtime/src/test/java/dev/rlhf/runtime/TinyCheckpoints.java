package dev.rlhf.runtime;

import ai.djl.Device;
import ai.djl.engine.Engine;
import dev.rlhf.lm.LanguageModel;
import dev.rlhf.lm.checkpoint.CheckpointKind;
import dev.rlhf.lm.checkpoint.CheckpointMetadata;
import dev.rlhf.lm.checkpoint.Checkpoints;
import dev.rlhf.lm.nn.GptConfig;
import dev.rlhf.lm.tokenizer.ByteTokenizer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A checkpoints directory with three tiny randomly initialised byte-level networks, so tests load
 * real checkpoints in milliseconds instead of pretraining the demo base. {@code tiny-base} is the
 * configured base; {@code tiny-v2} and {@code tiny-v3} are for tests that publish versions. {@code
 * tiny-rm} is a reward model (a network with a reward head, checkpoint kind REWARD) with a check
 * model of other weights in its {@code check} directory, laid out as reward-trainer publishes them.
 */
public class TinyCheckpoints implements QuarkusTestResourceLifecycleManager {

  public static final String BASE = "tiny-base";
  public static final String V2 = "tiny-v2";
  public static final String V3 = "tiny-v3";
  public static final String REWARD = "tiny-rm";

  /** Two layers, 32 wide, a context of 128 byte tokens. */
  public static final int CONTEXT = 128;

  private Path directory;

  @Override
  public Map<String, String> start() {
    try {
      directory = Files.createTempDirectory("model-runtime-test-checkpoints");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    save(BASE, 1);
    save(V2, 2);
    save(V3, 3);
    save(directory.resolve(REWARD), REWARD, CheckpointKind.REWARD, 4);
    save(directory.resolve(REWARD).resolve("check"), REWARD, CheckpointKind.REWARD, 5);
    return Map.of(
        "rlhf.checkpoints.directory", directory.toString(),
        "rlhf.runtime.base-checkpoint", directory.resolve(BASE).toString());
  }

  /** Where a checkpoint of the test directory lies. */
  public static Path checkpoint(String name) {
    return Path.of(
        org.eclipse.microprofile.config.ConfigProvider.getConfig()
            .getValue("rlhf.checkpoints.directory", String.class),
        name);
  }

  private void save(String name, int seed) {
    save(directory.resolve(name), name, CheckpointKind.BASE, seed);
  }

  private void save(Path target, String name, CheckpointKind kind, int seed) {
    Engine.getInstance().setRandomSeed(seed);
    GptConfig config =
        new GptConfig(2, 2, 32, CONTEXT, new ByteTokenizer().vocabSize(), 0f, true, true);
    try (LanguageModel network = LanguageModel.create(config, new ByteTokenizer(), Device.cpu())) {
      if (kind == CheckpointKind.REWARD) network.addRewardHead();
      Checkpoints.save(
          target,
          network,
          CheckpointMetadata.now(
              config,
              ByteTokenizer.NAME,
              kind,
              name,
              null,
              Map.of("data", "random initialisation"),
              Map.of(),
              0));
    }
  }

  @Override
  public void stop() {
    if (directory == null) {
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
