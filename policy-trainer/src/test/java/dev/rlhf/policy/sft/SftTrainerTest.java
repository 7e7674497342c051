package dev.rlhf.policy.sft;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import dev.rlhf.events.contract.DemonstrationSubmitted;
import dev.rlhf.lm.LanguageModel;
import dev.rlhf.lm.checkpoint.CheckpointKind;
import dev.rlhf.lm.checkpoint.Checkpoints;
import dev.rlhf.lm.sample.Generator;
import dev.rlhf.lm.sample.SamplingParams;
import dev.rlhf.policy.TinyPolicies;
import dev.rlhf.policy.config.SftConfig;
import dev.rlhf.policy.train.LoopState;
import dev.rlhf.policy.train.RunCheckpoint;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SftTrainerTest {

  private static final String PHRASE = "Sure! ";

  @TempDir Path dir;

  @Test
  void fineTuningLowersHeldOutLossAndTeachesTheDemonstratedAnswerFormat() {
    List<DemonstrationSubmitted> demos = TinyPolicies.demonstrations(60, PHRASE, 7);
    Path base = TinyPolicies.saveFresh(dir, "base", CheckpointKind.BASE, 3);
    SftConfig config = new SftConfig(150, 8, 3e-3f, 3e-4f, 15, 0f, 1f, 0.2f, 50, 0, 1);
    try (LanguageModel network = Checkpoints.load(base, Device.cpu())) {
      SftDataset data =
          SftDataset.split(demos, network.chatTemplate(), network.config().blockSize(), 0.2f);
      SftTrainer.Result result =
          new SftTrainer(
                  config,
                  (step, total, m, samples) ->
                      System.out.println("SFT " + step + " " + m + " " + samples))
              .train(
                  network,
                  data,
                  LoopState.START,
                  new RunCheckpoint<>(
                      dir.resolve("work"),
                      SftTrainer.STATE_FILE,
                      LoopState.class,
                      new RunCheckpoint.Identity(CheckpointKind.SFT, "sft", "base", Map.of())));

      assertThat(result.validationLoss()).isLessThan(0.5f * result.initialValidationLoss());
      List<int[]> heldOutPrompts = data.validation().stream().map(SftExample::prompt).toList();
      List<String> answers =
          new Generator(network)
              .generate(heldOutPrompts, SamplingParams.greedy(24)).stream()
                  .map(c -> c.text())
                  .toList();
      // A fresh network never writes the phrase; after 150 steps most greedy answers open with it.
      // Not all: on one CI run two of thirteen wrote "Sure " without the "!", on others none did.
      assertThat(answers).isNotEmpty();
      assertThat(answers.stream().filter(a -> a.startsWith(PHRASE)).count())
          .as("answers opening with %s among %s", PHRASE, answers)
          .isGreaterThanOrEqualTo(answers.size() * 3L / 4);
    }
  }

  @Test
  void aRunOnFewDemonstrationsStopsOnceTheHeldOutLossRisesAndKeepsItsLowest() {
    List<DemonstrationSubmitted> demos = TinyPolicies.demonstrations(12, PHRASE, 9);
    Path base = TinyPolicies.saveFresh(dir, "base", CheckpointKind.BASE, 4);
    SftConfig config = new SftConfig(600, 8, 3e-3f, 3e-4f, 5, 0f, 1f, 0.3f, 10, 2, 1);
    List<Double> validations = new java.util.ArrayList<>();
    try (LanguageModel network = Checkpoints.load(base, Device.cpu())) {
      SftDataset data =
          SftDataset.split(demos, network.chatTemplate(), network.config().blockSize(), 0.3f);
      RunCheckpoint<LoopState> checkpoint =
          new RunCheckpoint<>(
              dir.resolve("work"),
              SftTrainer.STATE_FILE,
              LoopState.class,
              new RunCheckpoint.Identity(CheckpointKind.SFT, "sft", "base", Map.of()));
      SftTrainer trainer =
          new SftTrainer(config, (step, total, m, samples) -> validations.add(m.get("val_loss")));
      SftTrainer.Result result = trainer.train(network, data, LoopState.START, checkpoint);

      assertThat(result.steps()).isLessThan(600);
      assertThat(result.steps() - result.keptStep()).isEqualTo(2 * 10);
      double lowest = validations.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
      assertThat((double) result.validationLoss()).isEqualTo(lowest);
      int pad = network.tokenizer().specialId(dev.rlhf.lm.tokenizer.SpecialToken.END_OF_TEXT);
      // Exact: the network holds the weights that measured the lowest loss.
      assertThat(trainer.validationLoss(network, data, pad)).isEqualTo(result.validationLoss());
    }
  }

  @Test
  void theSplitHoldsOutWholePromptsSoNoPromptIsInBothHalves() {
    List<DemonstrationSubmitted> demos = TinyPolicies.demonstrations(20, PHRASE, 3);
    DemonstrationSubmitted first = demos.get(0);
    // a second demonstration of the first prompt
    DemonstrationSubmitted again =
        new DemonstrationSubmitted(
            java.util.UUID.randomUUID(),
            first.occurredAt(),
            java.util.UUID.randomUUID(),
            first.projectId(),
            first.promptId(),
            first.conversation(),
            "Another answer.",
            null,
            1,
            "contractor-2");
    List<DemonstrationSubmitted> all = new java.util.ArrayList<>(demos);
    all.add(again);
    try (LanguageModel network =
        LanguageModel.create(
            TinyPolicies.config(), new dev.rlhf.lm.tokenizer.ByteTokenizer(), Device.cpu())) {
      SftDataset data = SftDataset.split(all, network.chatTemplate(), 96, 0.3f);
      var trainPrompts = data.train().stream().map(SftExample::promptId).toList();
      var validationPrompts = data.validation().stream().map(SftExample::promptId).toList();
      assertThat(validationPrompts).isNotEmpty().doesNotContainAnyElementsOf(trainPrompts);
      assertThat(data.train().size() + data.validation().size()).isEqualTo(21);
    }
  }
}
