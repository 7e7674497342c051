package dev.rlhf.reward.cli;

import dev.rlhf.reward.data.RankingStore;
import dev.rlhf.reward.training.RewardRun;
import dev.rlhf.reward.training.RunDirectory.RunOutcome;
import dev.rlhf.reward.training.RunReporter;
import dev.rlhf.reward.training.RunRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * Trains a reward model from the command line with the same options as a training command:
 *
 * <pre>
 * TrainRewardModel --rankings rankings.jsonl --base checkpoints/sft-1 [--checkpoints DIR]
 *                  [--run-id UUID] [--set lr=3e-4 --set epochs=6 ...]
 * </pre>
 *
 * {@code --rankings} is a JSONL file of RankingSubmitted events (the worker's own store file is
 * one); every ranking in it is the snapshot. Passing the {@code --run-id} of an interrupted run
 * resumes it from its last checkpoint.
 */
public final class TrainRewardModel {

  private TrainRewardModel() {}

  public static void main(String[] args) {
    Map<String, String> hyper = new LinkedHashMap<>();
    Path rankings = null;
    String base = null;
    Path checkpoints = Path.of(System.getProperty("user.home"), ".rlhf", "checkpoints");
    UUID runId = UUID.randomUUID();
    for (int i = 0; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : usage("missing value for " + args[i]);
      switch (args[i++]) {
        case "--rankings" -> rankings = Path.of(value);
        case "--base" -> base = value;
        case "--checkpoints" -> checkpoints = Path.of(value);
        case "--run-id" -> runId = UUID.fromString(value);
        case "--set" -> {
          String[] kv = value.split("=", 2);
          if (kv.length != 2) usage("--set needs key=value: " + value);
          hyper.put(kv[0], kv[1]);
        }
        default -> usage("unknown option " + args[i - 1]);
      }
    }
    if (rankings == null || base == null) usage("--rankings and --base are required");
    System.out.println("run " + runId + " (pass --run-id " + runId + " to resume it)");
    try (RankingStore store = RankingStore.open(rankings);
        ProgressBar bar = new ProgressBarBuilder().setTaskName("reward model").build()) {
      List<UUID> ids = store.all().stream().map(r -> r.eventId()).toList();
      RunRequest request = new RunRequest(runId, null, base, hyper, ids);
      RunOutcome outcome =
          new RewardRun(checkpoints, store, Duration.ZERO).execute(request, reporter(bar));
      bar.close();
      System.out.println(outcome.status() + ": " + outcome.detail());
      if (!"SUCCEEDED".equals(outcome.status())) System.exit(1);
    }
  }

  private static RunReporter reporter(ProgressBar bar) {
    return new RunReporter() {
      @Override
      public void onStep(long step, long totalSteps, StepMetrics m) {
        bar.maxHint(totalSteps);
        bar.stepTo(step);
        bar.setExtraMessage(String.format("loss %.4f acc %.2f", m.loss(), m.accuracy()));
      }

      @Override
      public void onEvaluation(long step, long totalSteps, Evaluation e) {
        System.out.printf(
            "%nepoch %d: held-out loss %.4f, accuracy %.3f%n", e.epoch(), e.loss(), e.accuracy());
      }

      @Override
      public void published(
          String version,
          String parentVersion,
          String checkpointPath,
          Map<String, Double> metrics,
          List<UUID> labelEventIds) {
        System.out.println("reward version " + version + " at " + checkpointPath + " " + metrics);
      }

      @Override
      public void failed(String reason) {
        System.err.println("failed: " + reason);
      }
    };
  }

  private static String usage(String problem) {
    System.err.println(problem);
    System.err.println(
        "usage: TrainRewardModel --rankings FILE.jsonl --base CHECKPOINT [--checkpoints DIR]"
            + " [--run-id UUID] [--set key=value ...]");
    System.exit(2);
    return null;
  }
}
