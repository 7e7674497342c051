package dev.rlhf.reward;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** A fresh checkpoints directory per test run, so no run or ranking of an earlier run resumes. */
public class TemporaryCheckpointsResource implements QuarkusTestResourceLifecycleManager {

  @Override
  public Map<String, String> start() {
    try {
      Path dir = Files.createTempDirectory("reward-trainer-test-");
      return Map.of("rlhf.reward.checkpoints-directory", dir.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void stop() {}
}
