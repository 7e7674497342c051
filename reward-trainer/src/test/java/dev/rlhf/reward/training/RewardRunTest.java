package dev.rlhf.reward.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import dev.rlhf.events.contract.RankingSubmitted;
import dev.rlhf.lm.checkpoint.CheckpointKind;
import dev.rlhf.lm.checkpoint.Checkpoints;
import dev.rlhf.lm.checkpoint.SafeTensors;
import dev.rlhf.lm.checkpoint.Tensor;
import dev.rlhf.lm.train.AdamW;
import dev.rlhf.reward.Preferences;
import dev.rlhf.training.LabelStore;
import dev.rlhf.training.preferences.Rankings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RewardRunTest {

  @TempDir Path checkpoints;
  private LabelStore<RankingSubmitted> store;
  private List<UUID> snapshot;

  @BeforeEach
  void storeAGeneratedPreferenceSetAndABase() {
    Preferences.tinyBase(checkpoints.resolve("tiny-sft"));
    store = LabelStore.open(checkpoints.resolve("rankings.jsonl"), RankingSubmitted.class);
    var rankings = Rankings.politeOverRude(100, 11);
    rankings.forEach(store::accept);
    snapshot = rankings.stream().map(r -> r.eventId()).toList();
  }

  private static Map<String, Tensor> lastWeights(RewardRun run, UUID runId) throws IOException {
    return SafeTensors.read(run.directory(runId).last().resolve(Checkpoints.WEIGHTS_FILE));
  }

  private static float maxDifference(Map<String, Tensor> a, Map<String, Tensor> b) {
    assertThat(b.keySet()).containsExactlyElementsOf(a.keySet());
    float max = 0;
    for (String name : a.keySet()) {
      float[] x = a.get(name).data();
      float[] y = b.get(name).data();
      for (int i = 0; i < x.length; i++) max = Math.max(max, Math.abs(x[i] - y[i]));
    }
    return max;
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path p : paths.toList()) {
        Files.copy(p, to.resolve(from.relativize(p).toString()));
      }
    }
  }

  private RunRequest request(UUID runId) {
    return new RunRequest(runId, null, "tiny-sft", Preferences.tinyHyperParameters(), snapshot);
  }

  @Test
  void learnsThePreferredPropertyToAtLeastNinetyPercentHeldOutAccuracy() {
    var reporter = new RecordingReporter(-1);
    var outcome =
        new RewardRun(checkpoints, store, Duration.ZERO)
            .execute(request(UUID.randomUUID()), reporter);

    assertThat(outcome.status()).as(reporter.failure).isEqualTo("SUCCEEDED");
    System.out.println("held-out evaluations: " + reporter.evaluations);
    assertThat(reporter.publishedMetrics.get("heldout_accuracy")).isGreaterThanOrEqualTo(0.9);
    var published = Checkpoints.readMetadata(Path.of(reporter.publishedPath));
    assertThat(published.kind()).isEqualTo(CheckpointKind.REWARD);
    assertThat(published.parentVersion()).isEqualTo("tiny-sft");
    assertThat(published.dataLineage().get("labelEventIds"))
        .isEqualTo(snapshot.stream().map(UUID::toString).toList());
  }

  @Test
  void aRunKilledAfterTenStepsContinuesFromStepTenWhenStartedAgain() {
    UUID runId = UUID.randomUUID();
    var run = new RewardRun(checkpoints, store, Duration.ZERO);
    var killed = new RecordingReporter(10);
    assertThatThrownBy(() -> run.execute(request(runId), killed))
        .isInstanceOf(RecordingReporter.SimulatedKill.class);
    assertThat(run.directory(runId).state().orElseThrow().step()).isEqualTo(10);
    assertThat(run.directory(runId).outcome()).isEmpty();

    var restarted = new RecordingReporter(-1);
    var outcome = run.execute(request(runId), restarted);

    assertThat(outcome.status()).isEqualTo("SUCCEEDED");
    assertThat(restarted.steps.get(0)).isEqualTo(11);
  }

  @Test
  void aResumedRunEndsWithTheWeightsOfARunThatWasNeverKilled() throws IOException {
    var run = new RewardRun(checkpoints, store, Duration.ZERO);
    UUID uninterrupted = UUID.randomUUID();
    assertThat(run.execute(request(uninterrupted), new RecordingReporter(-1)).status())
        .isEqualTo("SUCCEEDED");
    UUID resumed = UUID.randomUUID();
    assertThatThrownBy(() -> run.execute(request(resumed), new RecordingReporter(10)))
        .isInstanceOf(RecordingReporter.SimulatedKill.class);
    Path optimizer = run.directory(resumed).last().resolve(AdamW.STATE_FILE);
    assertThat(SafeTensors.readMetadata(optimizer)).containsEntry("training_step", "10");
    // The same killed run once more, but without its optimizer state: what resuming did before
    // the state was saved, and the measure of how far apart the weights would then end up.
    UUID withoutOptimizer = UUID.randomUUID();
    copy(run.directory(resumed).path(), run.directory(withoutOptimizer).path());
    Files.delete(run.directory(withoutOptimizer).last().resolve(AdamW.STATE_FILE));

    assertThat(run.execute(request(resumed), new RecordingReporter(-1)).status())
        .isEqualTo("SUCCEEDED");
    assertThat(run.execute(request(withoutOptimizer), new RecordingReporter(-1)).status())
        .isEqualTo("SUCCEEDED");

    assertThat(maxDifference(lastWeights(run, uninterrupted), lastWeights(run, resumed)))
        .as("largest difference to the weights of the run that was never killed")
        .isLessThan(1e-5f);
    assertThat(maxDifference(lastWeights(run, uninterrupted), lastWeights(run, withoutOptimizer)))
        .as("the same, resumed without the optimizer state")
        .isGreaterThan(1e-3f);
  }

  @Test
  void aRunOverTwoDevicesTrainsTheWeightsOfARunOnOne() throws IOException {
    // The CPU as two logical devices (PyTorch has one CPU device; the replicas share it): each
    // takes half of every batch's prompts and the gradients are added before one optimizer step.
    Map<String, String> oneEpoch = new java.util.HashMap<>(Preferences.tinyHyperParameters());
    oneEpoch.put("epochs", "1");
    Path state = RewardRun.stateDirectory(checkpoints, null);
    var one = new RewardRun(checkpoints, state, store, Duration.ZERO, List.of(Device.cpu()));
    var two =
        new RewardRun(
            checkpoints, state, store, Duration.ZERO, List.of(Device.cpu(), Device.cpu()));
    UUID onOne = UUID.randomUUID();
    UUID onTwo = UUID.randomUUID();
    var oneReporter = new RecordingReporter(-1);
    var twoReporter = new RecordingReporter(-1);
    assertThat(
            one.execute(new RunRequest(onOne, null, "tiny-sft", oneEpoch, snapshot), oneReporter)
                .status())
        .isEqualTo("SUCCEEDED");
    assertThat(
            two.execute(new RunRequest(onTwo, null, "tiny-sft", oneEpoch, snapshot), twoReporter)
                .status())
        .isEqualTo("SUCCEEDED");

    Map<String, Tensor> start =
        SafeTensors.read(checkpoints.resolve("tiny-sft").resolve(Checkpoints.WEIGHTS_FILE));
    Map<String, Tensor> trained = lastWeights(one, onOne);
    float moved = 0;
    for (String name : start.keySet()) {
      moved =
          Math.max(
              moved, maxDifference(Map.of(name, start.get(name)), Map.of(name, trained.get(name))));
    }
    // Within the blocks: a pairwise loss sees only differences of rewards, so the reward head's
    // bias (and the final norm's bias along the head) get a gradient of exactly 0 plus rounding,
    // which Adam, dividing by its own size, turns into steps of any sign: those weights differ
    // between any two summation orders, one device or two.
    Map<String, Tensor> twoWeights = lastWeights(two, onTwo);
    float apart = 0;
    for (String name : trained.keySet()) {
      if (!name.startsWith("transformer.h.")) continue;
      apart =
          Math.max(
              apart,
              maxDifference(Map.of(name, trained.get(name)), Map.of(name, twoWeights.get(name))));
    }
    System.out.printf(
        "reward model: trained up to %.5f; one and two devices %.2e apart%n", moved, apart);
    assertThat(moved).as("largest change training made").isGreaterThan(2e-3f);
    // Float rounding only: the shards' sums come out in another order.
    assertThat(apart).as("largest difference between one and two devices").isLessThan(1e-4f);
    assertThat(twoReporter.publishedMetrics.get("heldout_accuracy"))
        .isCloseTo(oneReporter.publishedMetrics.get("heldout_accuracy"), within(0.02));
    assertThat(twoReporter.publishedMetrics.get("heldout_loss"))
        .isCloseTo(oneReporter.publishedMetrics.get("heldout_loss"), within(1e-3));
  }

  @Test
  void aSnapshotNamingEventsNotYetReceivedFailsWithTheReason() {
    var reporter = new RecordingReporter(-1);
    var missing = List.of(snapshot.get(0), UUID.randomUUID());
    var outcome =
        new RewardRun(checkpoints, store, Duration.ofMillis(100))
            .execute(
                new RunRequest(UUID.randomUUID(), null, "tiny-sft", java.util.Map.of(), missing),
                reporter);

    assertThat(outcome.status()).isEqualTo("FAILED");
    assertThat(reporter.failure).contains("1 label events not yet received");
  }
}
