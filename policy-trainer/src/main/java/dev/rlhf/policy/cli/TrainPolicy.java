package dev.rlhf.policy.cli;

import dev.rlhf.events.contract.DemonstrationSubmitted;
import dev.rlhf.events.contract.RankingSubmitted;
import dev.rlhf.events.contract.TrainingStage;
import dev.rlhf.policy.config.PolicyTrainingConfig;
import dev.rlhf.policy.data.PolicyLabels;
import dev.rlhf.policy.ppo.RewardSource;
import dev.rlhf.policy.train.CheckpointDirectory;
import dev.rlhf.policy.train.PolicyRun;
import dev.rlhf.policy.train.ProgressListener;
import dev.rlhf.policy.train.RunOutcome;
import dev.rlhf.policy.train.RunRequest;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
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
 * Trains a policy from the command line, without Kafka, on the same code path as a training
 * command. SFT trains on every demonstration in the trainer's store under {@code --checkpoints},
 * plus {@code N} generated demo-world demonstrations with {@code --demo}. PPO samples the store's
 * prompts, or the demo world's with {@code --set demoWorldPrompts=true}. DPO learns from every
 * ranking in the store, plus {@code N} generated demo-world rankings with {@code --demo}. Exit
 * status 0 when a version is published, 1 when the run fails, 2 for bad options.
 */
@Command(
    name = "TrainPolicy",
    mixinStandardHelpOptions = true,
    description = "Trains a policy version (SFT, PPO or DPO) and publishes it under --checkpoints.")
public final class TrainPolicy implements Callable<Integer> {

  @Option(
      names = "--stage",
      paramLabel = "sft|ppo|dpo",
      description = "what to train (${DEFAULT-VALUE})")
  TrainingStage stage = TrainingStage.SFT;

  @Option(
      names = "--checkpoints",
      paramLabel = "DIR",
      description = "root of the checkpoints; the version is published here (${DEFAULT-VALUE})")
  Path checkpoints = Path.of("checkpoints");

  @Option(
      names = "--base",
      paramLabel = "VERSION",
      description =
          "SFT: the base to fine-tune; PPO and DPO: the SFT version (policy start and reference)"
              + " (${DEFAULT-VALUE})")
  String base = "demo-base";

  @Option(names = "--reward", paramLabel = "VERSION", description = "PPO: the reward model")
  String reward;

  @Option(
      names = "--demo",
      paramLabel = "N",
      description =
          "add N demo-world demonstrations (DPO: rankings) to the store first (${DEFAULT-VALUE})")
  int demo;

  @Option(
      names = "--run-id",
      paramLabel = "UUID",
      description = "the run's id; a killed run's id resumes it (repeat without --demo)")
  UUID runId = UUID.randomUUID();

  @Option(
      names = "--set",
      paramLabel = "NAME=VALUE",
      description =
          "a hyper-parameter of the stage (SftConfig, PpoConfig, DpoConfig), e.g. --set steps=300")
  Map<String, String> hyperParameters = new LinkedHashMap<>();

  @Spec CommandSpec spec;

  private final PrintStream out;
  private final PrintStream err;

  private TrainPolicy(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    System.exit(run(System.out, System.err, args));
  }

  /** What {@code main} does, writing to {@code out} and {@code err}; returns the exit status. */
  public static int run(PrintStream out, PrintStream err, String... args) {
    CommandLine cli = new CommandLine(new TrainPolicy(out, err));
    cli.setCaseInsensitiveEnumValuesAllowed(true);
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
    PolicyTrainingConfig config = validatedConfig();
    CheckpointDirectory directory = new CheckpointDirectory(checkpoints);
    try (PolicyLabels store = PolicyLabels.open(directory.trainerState())) {
      List<UUID> snapshot;
      if (stage == TrainingStage.DPO) {
        DemoLabels.rankings(demo, store.rankings().size() + 1L).forEach(store.rankings()::accept);
        snapshot = store.rankings().all().stream().map(RankingSubmitted::eventId).toList();
      } else {
        DemoLabels.demonstrations(demo, store.demonstrations().size() + 1L)
            .forEach(store.demonstrations()::accept);
        snapshot =
            store.demonstrations().all().stream().map(DemonstrationSubmitted::eventId).toList();
      }
      RunRequest request =
          new RunRequest(runId, null, stage, base, reward, snapshot, config, List.of(), null);
      String labels = stage == TrainingStage.DPO ? " rankings" : " demonstrations";
      out.println("run " + runId + " (" + stage + "), " + snapshot.size() + labels);
      RunOutcome outcome;
      try (ProgressBar bar =
          new ProgressBarBuilder()
              .setTaskName(stage + " " + request.version())
              .setConsumer(new ConsoleProgressBarConsumer(err))
              .build()) {
        outcome =
            new PolicyRun(directory, store, RewardSource.rewardModels(directory), progress(bar))
                .execute(request);
      }
      out.println("published " + outcome.version() + " at " + outcome.checkpoint());
      out.println("metrics " + outcome.metrics());
      return 0;
    }
  }

  /** The run's configuration; bad options are refused before anything is stored or trained. */
  private PolicyTrainingConfig validatedConfig() {
    if (stage == TrainingStage.REWARD) {
      throw new ParameterException(spec.commandLine(), "--stage: sft, ppo or dpo, not " + stage);
    }
    if (stage == TrainingStage.PPO && (reward == null || reward.isBlank())) {
      throw new ParameterException(spec.commandLine(), "--reward: a PPO run needs a reward model");
    }
    if (demo < 0) {
      throw new ParameterException(spec.commandLine(), "--demo: a count of 0 or more");
    }
    PolicyTrainingConfig config;
    try {
      config = PolicyTrainingConfig.forStage(stage, hyperParameters);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--set: " + e.getMessage());
    }
    CheckpointDirectory directory = new CheckpointDirectory(checkpoints);
    try {
      directory.resolve(base);
      if (reward != null) directory.resolve(reward);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    return config;
  }

  private static ProgressListener progress(ProgressBar bar) {
    return (step, total, metrics, samples) -> {
      bar.maxHint(total);
      bar.stepTo(step);
      bar.setExtraMessage(
          metrics.entrySet().stream()
              .limit(3)
              .map(e -> e.getKey() + "=" + String.format("%.4f", e.getValue()))
              .collect(Collectors.joining(" ")));
    };
  }
}
