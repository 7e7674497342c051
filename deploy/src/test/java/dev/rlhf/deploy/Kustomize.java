package dev.rlhf.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Renders a kustomization with {@code kubectl kustomize}, offline, exactly as {@code kubectl apply
 * -k} would before sending it to a cluster.
 */
final class Kustomize {

  /** The kubectl to run; -Drlhf.kubectl=... points at another (or, to try the fallback, none). */
  private static final String KUBECTL = System.getProperty("rlhf.kubectl", "kubectl");

  private static Boolean available;

  private Kustomize() {}

  /** Whether a kubectl with kustomize runs here. */
  static synchronized boolean available() {
    if (available == null) {
      try {
        available = run(List.of(KUBECTL, "version", "--client")).exitCode() == 0;
      } catch (UncheckedIOException e) {
        available = false;
      }
    }
    return available;
  }

  static final String MISSING =
      "kubectl (1.27 or newer, with kustomize 5) is not on the PATH: the kustomizations are not"
          + " rendered here; every manifest file is still checked as written (ManifestFilesTest)";

  /** The rendered YAML of the kustomization in {@code directory}. */
  static String render(Path directory) {
    Result result = run(List.of(KUBECTL, "kustomize", directory.toString()));
    if (result.exitCode() != 0) {
      throw new AssertionError(
          "kubectl kustomize "
              + Repository.ROOT.relativize(directory)
              + " failed: "
              + result.err());
    }
    return result.out();
  }

  private record Result(int exitCode, String out, String err) {}

  private static Result run(List<String> command) {
    try {
      Path out = Files.createTempFile("kustomize", ".out");
      Path err = Files.createTempFile("kustomize", ".err");
      try {
        Process process =
            new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new AssertionError(String.join(" ", command) + " did not finish in 120 s");
        }
        return new Result(
            process.exitValue(),
            Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
