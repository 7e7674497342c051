package dev.rlhf.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rlhf.events.contract.PlatformEvent;
import dev.rlhf.events.contract.TrainingRunRequested;
import dev.rlhf.events.contract.TrainingSnapshotPart;
import dev.rlhf.events.contract.TrainingStage;
import dev.rlhf.events.contract.WeightedPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TrainingSnapshotPartTest {

  /** Under the producer's and the broker's default record limit, with room for the envelope. */
  private static final int RECORD_LIMIT = 800_000;

  static TrainingRunRequested command(int ids, int pairs) {
    Random random = new Random(7);
    return new TrainingRunRequested(
        UUID.randomUUID(),
        Instant.parse("2026-12-07T08:00:00Z"),
        UUID.randomUUID(),
        UUID.randomUUID(),
        TrainingStage.DPO,
        "sft-1",
        null,
        null,
        IntStream.range(0, ids).mapToObj(i -> UUID.randomUUID()).toList(),
        null,
        null,
        IntStream.range(0, pairs)
            .mapToObj(
                i ->
                    new WeightedPair(
                        UUID.randomUUID(),
                        UUID.randomUUID(),
                        UUID.randomUUID(),
                        // the longest decimal a double prints
                        Math.max(Double.MIN_NORMAL, random.nextDouble() * 1e-7)))
            .toList());
  }

  @Test
  void shouldSplitASnapshotTooLargeForOneRecordIntoPartsThatEachFit() {
    TrainingRunRequested command = command(25_001, 5_000);
    assertThat(EventCodec.encode(command).length).isGreaterThan(1_048_576);

    List<PlatformEvent> records = TrainingSnapshotPart.split(command);

    assertThat(records).hasSize(4);
    for (PlatformEvent record : records) {
      assertThat(EventCodec.encode(record).length)
          .as(record.getClass().getSimpleName())
          .isLessThan(RECORD_LIMIT);
      assertThat(record.key()).isEqualTo(command.runId().toString());
      assertThat(EventCodec.decode(EventCodec.encode(record))).isEqualTo(record);
    }
    var sent = (TrainingRunRequested) records.get(3);
    assertThat(sent.snapshotParts()).isEqualTo(3);
    assertThat(sent.labelEventIds()).isEmpty();
    assertThat(sent.weightedPairs()).isEmpty();
    assertThat(sent.eventId()).isEqualTo(command.eventId());
  }

  @Test
  void shouldPutTheSnapshotBackTogetherInOrderWhateverOrderAndCopiesThePartsCameIn() {
    TrainingRunRequested command = command(25_001, 5_000);
    List<PlatformEvent> records = TrainingSnapshotPart.split(command);
    var sent = (TrainingRunRequested) records.get(records.size() - 1);
    List<TrainingSnapshotPart> parts = new ArrayList<>();
    for (PlatformEvent r : records) if (r instanceof TrainingSnapshotPart p) parts.add(p);
    List<TrainingSnapshotPart> received = new ArrayList<>(parts);
    received.addAll(parts.subList(0, 2)); // redelivered
    received.addAll(
        TrainingSnapshotPart.split(command(20_001, 0)).stream()
            .filter(TrainingSnapshotPart.class::isInstance)
            .map(TrainingSnapshotPart.class::cast)
            .toList()); // another run's parts
    Collections.shuffle(received, new Random(3));

    assertThat(TrainingSnapshotPart.assemble(sent, received)).contains(command);
    assertThat(TrainingSnapshotPart.assemble(sent, parts.subList(0, 2))).isEmpty();
  }

  @Test
  void shouldLeaveACommandThatFitsOneRecordAsItIs() {
    TrainingRunRequested command = command(TrainingSnapshotPart.MAX_IDS, 3);

    assertThat(TrainingSnapshotPart.split(command)).containsExactly(command);
    assertThat(TrainingSnapshotPart.assemble(command, List.of())).contains(command);
  }

  @Test
  void shouldRefuseACommandInPartsThatAlsoCarriesLabelsAndAPartOutOfRange() {
    TrainingRunRequested whole = command(3, 0);
    assertThatThrownBy(
            () ->
                new TrainingRunRequested(
                    whole.eventId(),
                    whole.occurredAt(),
                    whole.runId(),
                    null,
                    TrainingStage.SFT,
                    "base-1",
                    null,
                    null,
                    whole.labelEventIds(),
                    null,
                    null,
                    null,
                    2))
        .hasMessageContaining("carries no labelEventIds");
    assertThatThrownBy(
            () ->
                new TrainingSnapshotPart(
                    UUID.randomUUID(),
                    Instant.now(),
                    UUID.randomUUID(),
                    TrainingStage.SFT,
                    2,
                    2,
                    null,
                    null))
        .hasMessageContaining("part must be in [0, parts)");
  }

  @Test
  void shouldReadACommandWrittenBeforeSnapshotPartsExistedAsCarryingItsSnapshot() {
    TrainingRunRequested command = command(2, 1);
    String json = EventCodec.toJson(command).replace(",\"snapshotParts\":0", "");
    assertThat(json).doesNotContain("snapshotParts");

    var back = (TrainingRunRequested) EventCodec.fromJson(json);

    assertThat(back.snapshotParts()).isZero();
    assertThat(back).isEqualTo(command);
  }
}
