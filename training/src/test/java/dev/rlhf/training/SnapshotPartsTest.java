package dev.rlhf.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rlhf.events.contract.PlatformEvent;
import dev.rlhf.events.contract.TrainingRunRequested;
import dev.rlhf.events.contract.TrainingSnapshotPart;
import dev.rlhf.events.contract.TrainingStage;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotPartsTest {

  @TempDir Path directory;

  private static TrainingRunRequested command(Instant sent) {
    return new TrainingRunRequested(
        UUID.randomUUID(),
        sent,
        UUID.randomUUID(),
        UUID.randomUUID(),
        TrainingStage.SFT,
        "base-1",
        null,
        null,
        IntStream.range(0, 7).mapToObj(i -> UUID.randomUUID()).toList(),
        null,
        null);
  }

  @Test
  void shouldJoinPartsKeptBeforeARestartAndForgetThemOnceJoined() {
    TrainingRunRequested whole = command(Instant.now());
    List<PlatformEvent> records = TrainingSnapshotPart.split(whole, 3, 1);
    var sent = (TrainingRunRequested) records.get(3);
    SnapshotParts before = new SnapshotParts(directory);
    before.accept((TrainingSnapshotPart) records.get(0));
    before.accept((TrainingSnapshotPart) records.get(2));
    before.accept((TrainingSnapshotPart) records.get(2)); // redelivered
    assertThat(before.assemble(sent)).isEmpty();
    assertThat(before.missing(sent)).isEqualTo(1);
    assertThat(before.overdue(sent, Duration.ofMinutes(5))).isEmpty();

    SnapshotParts after = new SnapshotParts(directory); // the trainer restarted
    after.accept((TrainingSnapshotPart) records.get(1));

    assertThat(after.assemble(sent)).contains(whole);
    after.discard(sent.runId());
    assertThat(directory.resolve(sent.runId().toString())).doesNotExist();
    assertThat(after.assemble(whole)).contains(whole);
  }

  @Test
  void shouldReportTheMissingPartsOnceTheWaitIsOver() {
    TrainingRunRequested whole = command(Instant.now().minus(Duration.ofMinutes(10)));
    List<PlatformEvent> records = TrainingSnapshotPart.split(whole, 3, 1);
    var sent = (TrainingRunRequested) records.get(3);
    SnapshotParts parts = new SnapshotParts(directory);
    parts.accept((TrainingSnapshotPart) records.get(1));

    var failure = parts.overdue(sent, Duration.ofMinutes(5)).orElseThrow();

    assertThat(failure.runId()).isEqualTo(sent.runId());
    assertThat(failure.stage()).isEqualTo(TrainingStage.SFT);
    assertThat(failure.reason())
        .isEqualTo(
            "2 of the 3 parts of the run's label snapshot did not arrive within 300 s of the"
                + " command; retry the cycle");
  }
}
