package dev.rlhf.reward.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rlhf.lm.checkpoint.CheckpointKind;
import dev.rlhf.lm.checkpoint.Checkpoints;
import dev.rlhf.reward.Preferences;
import dev.rlhf.reward.data.RankingStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RewardRunTest {

  @TempDir Path checkpoints;
  private RankingStore store;
  private List<UUID> snapshot;

  @BeforeEach
  void storeAGeneratedPreferenceSetAndABase() {
    Preferences.tinyBase(checkpoints.resolve("tiny-sft"));
    store = RankingStore.open(checkpoints.resolve("rankings.jsonl"));
    var rankings = Preferences.politeOverRude(100, 11);
    rankings.forEach(store::accept);
    snapshot = rankings.stream().map(r -> r.eventId()).toList();
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
