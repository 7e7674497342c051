package dev.rlhf.policy.cli;

import dev.rlhf.events.contract.ChatTurn;
import dev.rlhf.events.contract.DemonstrationSubmitted;
import dev.rlhf.events.contract.TrainingStage;
import dev.rlhf.lm.demo.DemoPrompt;
import dev.rlhf.lm.demo.DemoWorld;
import dev.rlhf.policy.config.PolicyTrainingConfig;
import dev.rlhf.policy.data.DemonstrationStore;
import dev.rlhf.policy.ppo.RewardSource;
import dev.rlhf.policy.train.CheckpointDirectory;
import dev.rlhf.policy.train.GradMode;
import dev.rlhf.policy.train.PolicyRun;
import dev.rlhf.policy.train.ProgressListener;
import dev.rlhf.policy.train.RunOutcome;
import dev.rlhf.policy.train.RunRequest;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import me.tongfei.progressbar.ProgressBar;

/**
 * Trains a policy from the command line, without Kafka:
 *
 * <pre>
 * TrainPolicy --stage sft --checkpoints DIR --base demo-base [--demo N] [--run-id UUID] [--set k=v]...
 * TrainPolicy --stage ppo --checkpoints DIR --base SFT_VERSION --reward REWARD_VERSION [--set k=v]...
 * </pre>
 *
 * SFT trains on every demonstration in the trainer's store under {@code DIR}, plus {@code N}
 * generated demo-world demonstrations with {@code --demo}. PPO samples the store's prompts, or the
 * demo world's with {@code --set demoWorldPrompts=true}. Passing the {@code --run-id} of a killed
 * PPO run resumes it.
 */
public final class TrainPolicy {

  private TrainPolicy() {}

  public static void main(String[] args) {
    GradMode.offInThisThread();
    Map<String, String> options = new HashMap<>();
    Map<String, String> hyperParameters = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (args[i].equals("--set")) {
        String[] kv = args[i + 1].split("=", 2);
        hyperParameters.put(kv[0], kv[1]);
      } else {
        options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
      }
    }
    TrainingStage stage = TrainingStage.valueOf(options.getOrDefault("stage", "sft").toUpperCase());
    CheckpointDirectory checkpoints =
        new CheckpointDirectory(Path.of(options.getOrDefault("checkpoints", "checkpoints")));
    try (DemonstrationStore store = DemonstrationStore.open(checkpoints.trainerState())) {
      int demo = Integer.parseInt(options.getOrDefault("demo", "0"));
      addDemoDemonstrations(store, demo);
      List<UUID> snapshot = store.all().stream().map(DemonstrationSubmitted::eventId).toList();
      UUID runId =
          options.containsKey("run-id")
              ? UUID.fromString(options.get("run-id"))
              : UUID.randomUUID();
      RunRequest request =
          new RunRequest(
              runId,
              null,
              stage,
              options.getOrDefault("base", "demo-base"),
              options.get("reward"),
              snapshot,
              PolicyTrainingConfig.defaults().withOverrides(hyperParameters));
      System.out.println("run " + runId + " (" + stage + "), " + snapshot.size() + " labels");
      RunOutcome outcome;
      try (ProgressBar bar = new ProgressBar(stage + " " + request.version(), 1)) {
        ProgressListener listener =
            (step, total, metrics, samples) -> {
              bar.maxHint(total);
              bar.stepTo(step);
              bar.setExtraMessage(
                  metrics.entrySet().stream()
                      .limit(3)
                      .map(e -> e.getKey() + "=" + String.format("%.4f", e.getValue()))
                      .collect(Collectors.joining(" ")));
            };
        outcome =
            new PolicyRun(checkpoints, store, RewardSource.rewardModels(checkpoints), listener)
                .execute(request);
      }
      System.out.println("published " + outcome.version() + " at " + outcome.checkpoint());
      System.out.println("metrics " + outcome.metrics());
    }
  }

  /** Demo-world questions answered with their reference answers, as a contractor would. */
  private static void addDemoDemonstrations(DemonstrationStore store, int count) {
    DemoWorld world = new DemoWorld(store.size() + 1L);
    List<DemonstrationSubmitted> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      DemoPrompt p = world.next();
      out.add(
          new DemonstrationSubmitted(
              UUID.randomUUID(),
              Instant.now(),
              UUID.randomUUID(),
              null,
              UUID.randomUUID(),
              List.of(new ChatTurn(ChatTurn.Role.USER, p.question())),
              p.reference(),
              null,
              1,
              "demo-world"));
    }
    out.forEach(store::accept);
  }
}
