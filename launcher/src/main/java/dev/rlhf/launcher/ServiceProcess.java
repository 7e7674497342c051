package dev.rlhf.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One platform service running as its own JVM, its output in a log file. The supervisor starts it
 * again, with the same command and environment, when it dies.
 */
final class ServiceProcess implements Supervisor.Part {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String name;
  private final String host;
  private final int port;
  private final ProcessBuilder builder;
  private final Path logFile;
  private volatile Process process;

  private ServiceProcess(String name, String host, int port, ProcessBuilder builder, Path logFile)
      throws IOException {
    this.name = name;
    this.host = host;
    this.port = port;
    this.builder = builder;
    this.logFile = logFile;
    this.process = builder.start();
  }

  /** Starts {@code module}'s packaged Quarkus application with the given environment. */
  static ServiceProcess start(
      String module, int port, Path home, Path logDirectory, Map<String, String> environment)
      throws IOException {
    Path jar = home.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          module + " is not built (" + jar + " is missing); run ./mvnw install -DskipTests");
    }
    Files.createDirectories(logDirectory);
    Path log = logDirectory.resolve(module + ".log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx" + environment.getOrDefault("JAVA_MAX_HEAP", "1g"));
    command.add("-XX:+UseSerialGC");
    // Out of memory, nothing in the JVM can be trusted: it exits and the supervisor restarts it.
    command.add("-XX:+ExitOnOutOfMemoryError");
    command.add("-Dai.djl.offline=true");
    // Lets a process listing (and ./run.sh stop) tell which platform started which JVM.
    command.add("-Drlhf.launched-by=" + ProcessHandle.current().pid());
    command.add("-jar");
    command.add(jar.toString());
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(home.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    // PyTorch's OpenMP workers otherwise spin while idle and starve the other services.
    builder.environment().put("OMP_WAIT_POLICY", "PASSIVE");
    builder.environment().putAll(environment);
    builder.environment().put("HTTP_PORT", Integer.toString(port));
    // Listening on every interface, a service is reached on loopback; otherwise where it listens.
    String listen = environment.getOrDefault("HTTP_HOST", "127.0.0.1");
    String host = "0.0.0.0".equals(listen) || "::".equals(listen) ? "127.0.0.1" : listen;
    return new ServiceProcess(module, host, port, builder, log);
  }

  /**
   * Waits until {@code /q/health/ready} answers 200, the process dies, a readiness check reports a
   * failure that waiting cannot mend (data {@code failure}, with the reason), or time runs out.
   */
  void awaitReady(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Process current = process;
      if (!current.isAlive()) {
        throw new IllegalStateException(
            name + " exited with code " + current.exitValue() + "; see " + logFile);
      }
      HttpResponse<String> response = health("/q/health/ready");
      if (response != null && response.statusCode() == 200) return;
      String failure = response == null ? null : failureIn(response.body());
      if (failure != null) {
        throw new IllegalStateException(name + ": " + failure + "; see " + logFile);
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException(name + " was not ready within " + timeout + "; see " + logFile);
  }

  /** The reason a readiness check gives for a failure, or null. */
  static String failureIn(String healthBody) {
    try {
      for (JsonNode check : JSON.readTree(healthBody).path("checks")) {
        JsonNode failure = check.path("data").path("failure");
        if (failure.isTextual()) return failure.asText();
      }
    } catch (IOException notJson) {
      // a service that is still starting may answer anything
    }
    return null;
  }

  @Override
  public boolean ready() {
    HttpResponse<String> response = health("/q/health/ready");
    return response != null && response.statusCode() == 200;
  }

  /** Only an explicit DOWN counts: a busy service that answers slowly is not dead. */
  @Override
  public boolean failsLiveness() {
    HttpResponse<String> response = health("/q/health/live");
    return response != null && response.statusCode() == 503;
  }

  /** A health endpoint's answer, or null when the service does not answer. */
  private HttpResponse<String> health(String path) {
    try {
      return HTTP.send(
          HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(2)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException notListening) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  @Override
  public Optional<String> stopped() {
    Process current = process;
    return current.isAlive()
        ? Optional.empty()
        : Optional.of("exited with code " + current.exitValue() + " (log: " + logFile + ")");
  }

  @Override
  public void restart() throws IOException {
    process = builder.start();
  }

  @Override
  public void kill() {
    process.destroyForcibly();
  }

  /** Asks the service to shut down, then kills it if it does not within the grace period. */
  void stop(Duration grace) {
    Process current = process;
    current.destroy();
    try {
      if (!current.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        current.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      current.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String name() {
    return name;
  }

  String url() {
    return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }
}
