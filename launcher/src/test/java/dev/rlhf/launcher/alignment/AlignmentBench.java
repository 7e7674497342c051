package dev.rlhf.launcher.alignment;

import dev.rlhf.launcher.LaunchOptions;
import dev.rlhf.launcher.Platform;
import dev.rlhf.lm.demo.DemoPrompt;
import io.restassured.RestAssured;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The alignment benchmark: for each preference function (judge) and seed, a labeler crew drives the
 * whole loop on the packaged platform through its HTTP API with default hyper-parameters, and the
 * versions it produced are judged on held-out prompts by the crew's own judge. Prints one table.
 *
 * <pre>
 * AlignmentBench BASE_CHECKPOINT DATA_DIR [--judges a,b] [--seeds 1,2,3] [--sizes d,r,k,o,h,c]
 *                [--set STAGE.name=value ...] [--from REWARD|PPO|DPO] [--stop-after REWARD]
 * </pre>
 *
 * <p>With {@code --from}, DATA_DIR is the data directory of an earlier benchmark: its platform is
 * started again and each run goes on from that stage with the labels and versions it kept.
 *
 * <pre>
 * </pre>
 */
public final class AlignmentBench {

  private AlignmentBench() {}

  public static void main(String[] args) throws Exception {
    Path base = Path.of(args[0]).toAbsolutePath();
    Path data = Path.of(args[1]).toAbsolutePath();
    List<Judge> judges = new ArrayList<>(Judge.ALL);
    List<Long> seeds = List.of(1L, 2L, 3L);
    AlignmentRun.Sizes sizes = AlignmentRun.Sizes.DEFAULT;
    Map<String, Map<String, String>> overrides = new HashMap<>();
    String from = null;
    String stopAfter = null;
    for (int i = 2; i < args.length; i += 2) {
      String value = args[i + 1];
      switch (args[i]) {
        case "--judges" -> judges = Arrays.stream(value.split(",")).map(Judge::named).toList();
        case "--seeds" -> seeds = Arrays.stream(value.split(",")).map(Long::parseLong).toList();
        case "--sizes" -> {
          int[] n = Arrays.stream(value.split(",")).mapToInt(Integer::parseInt).toArray();
          sizes = new AlignmentRun.Sizes(n[0], n[1], n[2], n[3], n[4], n[5]);
        }
        case "--from" -> from = value;
        case "--stop-after" -> stopAfter = value;
        case "--set" -> {
          String[] kv = value.split("=", 2);
          String[] stageName = kv[0].split("\\.", 2);
          overrides
              .computeIfAbsent(stageName[0], s -> new LinkedHashMap<>())
              .put(stageName[1], kv[1]);
        }
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Path checkpoints = data.resolve("checkpoints");
    String baseVersion = base.getFileName().toString();
    copyOnce(base, checkpoints.resolve(baseVersion));
    PrintStream out = System.out;
    out.printf(
        "alignment benchmark: judges %s, seeds %s, %s, overrides %s%n",
        judges.stream().map(Judge::name).toList(), seeds, sizes, overrides);
    List<AlignmentRun.Result> results = new ArrayList<>();
    try (Platform platform = start(data, checkpoints.resolve(baseVersion))) {
      RestAssured.baseURI = "http://127.0.0.1";
      RestAssured.port = Integer.parseInt(platform.labelingUrl().replaceAll(".*:", ""));
      AlignmentRun run =
          new AlignmentRun(checkpoints, baseVersion, sizes, overrides, from, stopAfter);
      for (Judge judge : judges) {
        for (long seed : seeds) {
          long start = System.nanoTime();
          AlignmentRun.Result result = run.run(judge, seed);
          if (result == null) continue;
          results.add(result);
          Report.run(out, result, Duration.ofNanos(System.nanoTime() - start));
        }
      }
    }
    Report.summary(out, results);
  }

  static Platform start(Path data, Path base) throws IOException {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--data-dir",
                data.toString(),
                "--base-checkpoint",
                base.toString(),
                "--ready-timeout",
                "600"));
    for (String flag :
        List.of(
            "--labeling-port",
            "--runtime-port",
            "--reward-port",
            "--policy-port",
            "--postgres-port",
            "--kafka-port",
            "--kafka-controller-port")) {
      args.add(flag);
      try (ServerSocket socket = new ServerSocket(0)) {
        args.add(Integer.toString(socket.getLocalPort()));
      }
    }
    LaunchOptions options =
        LaunchOptions.parse(args.toArray(String[]::new), Path.of("").toAbsolutePath(), Map.of());
    return Platform.start(options, message -> System.out.println("  " + message));
  }

  static void copyOnce(Path from, Path to) throws IOException {
    if (Files.exists(to)) return;
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(from)) {
      for (Path f : files.toList())
        Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
    }
  }

  /** Kinds in the order the demo world declares them. */
  static List<DemoPrompt.Kind> kinds() {
    return List.of(DemoPrompt.Kind.values());
  }
}
