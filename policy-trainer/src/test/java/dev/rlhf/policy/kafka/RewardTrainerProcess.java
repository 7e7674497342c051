package dev.rlhf.policy.kafka;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The packaged reward-trainer service as its own JVM, as it runs in the platform: the reward models
 * of the PPO tests are trained by it, over the test's broker, into the shared checkpoints.
 */
final class RewardTrainerProcess implements AutoCloseable {

  private static final Path JAR = Path.of("../reward-trainer/target/quarkus-app/quarkus-run.jar");

  private final Process process;
  private final Path log;
  private final int port;

  private RewardTrainerProcess(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.port = port;
  }

  /** Starts the service and waits until it is ready. */
  static RewardTrainerProcess start(String bootstrapServers, Path checkpoints) throws Exception {
    if (!Files.isRegularFile(JAR)) {
      throw new IllegalStateException(
          JAR.toAbsolutePath()
              + " is missing: build with -pl policy-trainer -am, which packages"
              + " reward-trainer first");
    }
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Path log = Path.of("target", "reward-trainer-process.log");
    ProcessBuilder builder =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx1g",
                    "-Dai.djl.offline=true",
                    "-Dai.djl.pytorch.num_threads=1",
                    "-Dai.djl.pytorch.num_interop_threads=1",
                    "-jar",
                    JAR.toString()))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().put("OMP_WAIT_POLICY", "PASSIVE");
    builder.environment().put("HTTP_PORT", Integer.toString(port));
    builder.environment().put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
    builder.environment().put("CHECKPOINTS_DIR", checkpoints.toAbsolutePath().toString());
    RewardTrainerProcess started = new RewardTrainerProcess(builder.start(), log, port);
    try {
      started.awaitReady(Duration.ofMinutes(3));
      return started;
    } catch (Exception e) {
      started.close();
      throw e;
    }
  }

  private void awaitReady(Duration timeout) throws InterruptedException {
    HttpClient http = HttpClient.newHttpClient();
    URI ready = URI.create("http://127.0.0.1:" + port + "/q/health/ready");
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("reward-trainer exited; see " + log.toAbsolutePath());
      }
      try {
        HttpRequest request = HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(2)).build();
        if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notListeningYet) {
        // starting
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException("reward-trainer not ready; see " + log.toAbsolutePath());
  }

  /** Shuts the service down as a SIGTERM would, then kills it if it takes too long. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
