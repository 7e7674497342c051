package dev.rlhf.reward.cli;

import dev.rlhf.events.contract.RankingSubmitted;
import dev.rlhf.reward.training.RewardRun;
import dev.rlhf.reward.training.RewardTrainingOptions;
import dev.rlhf.reward.training.RunDirectory.RunOutcome;
import dev.rlhf.reward.training.RunReporter;
import dev.rlhf.reward.training.RunRequest;
import dev.rlhf.training.LabelStore;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Trains a reward model from the command line with the same options and code path as a training
 * command. Exit status 0 when a version is published, 1 when the run fails, 2 for bad options.
 */
@Command(
    name = "TrainRewardModel",
    mixinStandardHelpOptions = true,
    description = "Trains a reward model on rankings and publishes it under --checkpoints.")
public final class TrainRewardModel implements Callable<Integer> {

  @Option(
      names = "--rankings",
      required = true,
      paramLabel = "FILE",
      description =
          "JSONL file of RankingSubmitted events (the worker's own store is one); all of them"
              + " are the snapshot")
  Path rankings;

  @Option(
      names = "--base",
      required = true,
      paramLabel = "CHECKPOINT",
      description = "version under --checkpoints to start from (normally the SFT one)")
  String base;

  @Option(
      names = "--checkpoints",
      paramLabel = "DIR",
      description = "root of the checkpoints; the version is published here (${DEFAULT-VALUE})")
  Path checkpoints = Path.of(System.getProperty("user.home"), ".rlhf", "checkpoints");

  @Option(
      names = "--run-id",
      paramLabel = "UUID",
      description = "the run's id; an interrupted run's id resumes it from its last checkpoint")
  UUID runId = UUID.randomUUID();

  @Option(
      names = "--set",
      paramLabel = "NAME=VALUE",
      description = "a hyper-parameter of RewardTrainingOptions, e.g. --set epochs=6")
  Map<String, String> hyperParameters = new LinkedHashMap<>();

  @Spec CommandSpec spec;

  private final PrintStream out;
  private final PrintStream err;

  private TrainRewardModel(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    System.exit(run(System.out, System.err, args));
  }

  /** What {@code main} does, writing to {@code out} and {@code err}; returns the exit status. */
  public static int run(PrintStream out, PrintStream err, String... args) {
    CommandLine cli = new CommandLine(new TrainRewardModel(out, err));
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    cli.setExecutionExceptionHandler(
        (e, commandLine, parsed) -> {
          err.println("failed: " + (e.getMessage() == null ? e : e.getMessage()));
          return 1;
        });
    return cli.execute(args);
  }

  @Override
  public Integer call() {
    if (!Files.isRegularFile(rankings)) {
      throw new ParameterException(spec.commandLine(), "--rankings: no file " + rankings);
    }
    try {
      RewardTrainingOptions.defaults().with(hyperParameters);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--set: " + e.getMessage());
    }
    try (LabelStore<RankingSubmitted> store = LabelStore.open(rankings, RankingSubmitted.class)) {
      List<UUID> ids = store.all().stream().map(RankingSubmitted::eventId).toList();
      if (ids.isEmpty()) {
        throw new ParameterException(spec.commandLine(), "--rankings: no rankings in " + rankings);
      }
      out.println("run " + runId + " on " + ids.size() + " rankings (--run-id resumes it)");
      RunRequest request = new RunRequest(runId, null, base, hyperParameters, ids);
      RunOutcome outcome;
      try (ProgressBar bar =
          new ProgressBarBuilder()
              .setTaskName("reward model")
              .setConsumer(new ConsoleProgressBarConsumer(err))
              .build()) {
        outcome = new RewardRun(checkpoints, store, Duration.ZERO).execute(request, reporter(bar));
      }
      out.println(outcome.status() + ": " + outcome.detail());
      return "SUCCEEDED".equals(outcome.status()) ? 0 : 1;
    }
  }

  private RunReporter reporter(ProgressBar bar) {
    return new RunReporter() {
      @Override
      public void onStep(long step, long totalSteps, StepMetrics m) {
        bar.maxHint(totalSteps);
        bar.stepTo(step);
        bar.setExtraMessage(String.format("loss %.4f acc %.2f", m.loss(), m.accuracy()));
      }

      @Override
      public void onEvaluation(long step, long totalSteps, Evaluation e) {
        out.printf(
            "epoch %d: held-out loss %.4f, accuracy %.3f%n", e.epoch(), e.loss(), e.accuracy());
      }

      @Override
      public void published(
          String version,
          String parentVersion,
          String checkpointPath,
          Map<String, Double> metrics,
          List<UUID> labelEventIds) {
        out.println("reward version " + version + " at " + checkpointPath + " " + metrics);
      }

      @Override
      public void failed(String reason) {
        err.println("failed: " + reason);
      }

      @Override
      public void stoppedOnCancel(long step) {
        err.println("cancelled after step " + step);
      }
    };
  }
}
