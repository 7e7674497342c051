package dev.rlhf.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rlhf.events.EventCodec;
import dev.rlhf.events.contract.RankingSubmitted;
import dev.rlhf.training.preferences.PreferenceDataset;
import dev.rlhf.training.preferences.Rankings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelStoreTest {

  @TempDir Path dir;

  @Test
  void ingestingTheSameEventsTwiceGivesTheSameDataset() {
    var rankings = Rankings.politeOverRude(30, 5);
    Path file = dir.resolve("rankings.jsonl");
    PreferenceDataset once;
    try (LabelStore<RankingSubmitted> store = open(file)) {
      rankings.forEach(store::accept);
      once = PreferenceDataset.of(store.all(), 20);
      assertThat(rankings.stream().filter(store::accept)).isEmpty();
      assertThat(store.size()).isEqualTo(30);
      assertThat(PreferenceDataset.of(store.all(), 20)).usingRecursiveComparison().isEqualTo(once);
    }
    try (LabelStore<RankingSubmitted> reopened = open(file)) {
      rankings.forEach(reopened::accept);
      assertThat(reopened.size()).isEqualTo(30);
      assertThat(PreferenceDataset.of(reopened.all(), 20))
          .usingRecursiveComparison()
          .isEqualTo(once);
    }
  }

  @Test
  void aSnapshotSelectsExactlyItsEventsInItsOrderAndRefusesMissingOnes() {
    var rankings = Rankings.politeOverRude(20, 6);
    var ids = rankings.stream().map(r -> r.eventId()).toList();
    try (LabelStore<RankingSubmitted> first = open(dir.resolve("a.jsonl"));
        LabelStore<RankingSubmitted> replayed = open(dir.resolve("b.jsonl"))) {
      rankings.forEach(first::accept);
      rankings.forEach(replayed::accept);
      rankings.forEach(replayed::accept);
      assertThat(replayed.snapshot(ids)).isEqualTo(first.snapshot(ids));
      assertThat(first.snapshot(List.of(ids.get(3), ids.get(1))))
          .containsExactly(rankings.get(3), rankings.get(1));
      UUID unknown = UUID.randomUUID();
      assertThat(first.storedOf(List.of(ids.get(2), unknown))).containsExactly(rankings.get(2));
      assertThat(first.missing(List.of(ids.get(2), unknown))).containsExactly(unknown);
      assertThatThrownBy(() -> first.snapshot(List.of(unknown)))
          .hasMessageContaining("1 RankingSubmitted events of the snapshot are not stored");
    }
  }

  @Test
  void aTornLastLineFromACrashIsDroppedAndTheStoreStaysUsable() throws Exception {
    var rankings = Rankings.politeOverRude(3, 7);
    Path file = dir.resolve("rankings.jsonl");
    try (LabelStore<RankingSubmitted> store = open(file)) {
      store.accept(rankings.get(0));
      store.accept(rankings.get(1));
    }
    Files.writeString(file, "{\"type\":\"RankingSub", StandardOpenOption.APPEND);
    try (LabelStore<RankingSubmitted> store = open(file)) {
      assertThat(store.size()).isEqualTo(2);
      assertThat(store.accept(rankings.get(2))).isTrue();
    }
    try (LabelStore<RankingSubmitted> store = open(file)) {
      assertThat(store.all()).containsExactlyElementsOf(rankings);
    }
  }

  @Test
  void aHandWrittenFileWithoutItsLastNewlineTakesMoreEvents() throws Exception {
    var rankings = Rankings.politeOverRude(2, 9);
    Path file = dir.resolve("rankings.jsonl");
    Files.writeString(file, "\n" + EventCodec.toJson(rankings.get(0)));
    try (LabelStore<RankingSubmitted> store = open(file)) {
      assertThat(store.accept(rankings.get(1))).isTrue();
      assertThat(store.snapshot(List.of(rankings.get(1).eventId(), rankings.get(0).eventId())))
          .containsExactly(rankings.get(1), rankings.get(0));
    }
    try (LabelStore<RankingSubmitted> store = open(file)) {
      assertThat(store.all()).containsExactlyElementsOf(rankings);
    }
  }

  @Test
  void aRedeliveryWithOtherContentKeepsTheFirstAndAnInterruptedReaderStillReads() throws Exception {
    var rankings = Rankings.politeOverRude(2, 5);
    RankingSubmitted first = rankings.get(0);
    RankingSubmitted impostor =
        EventCodec.fromJson(
                    EventCodec.toJson(rankings.get(1))
                        .replace(rankings.get(1).eventId().toString(), first.eventId().toString()))
                instanceof RankingSubmitted r
            ? r
            : null;
    assertThat(impostor).isNotNull().isNotEqualTo(first);
    try (LabelStore<RankingSubmitted> store = open(dir.resolve("rankings.jsonl"))) {
      assertThat(store.accept(first)).isTrue();
      assertThat(store.accept(impostor)).isFalse();
      // A run stopped at shutdown interrupts the thread that reads its snapshot: the store's
      // reads must neither fail nor close the file for the other threads.
      Thread.currentThread().interrupt();
      try {
        assertThat(store.snapshot(List.of(first.eventId()))).containsExactly(first);
      } finally {
        Thread.interrupted();
      }
      assertThat(store.accept(rankings.get(1))).isTrue();
      assertThat(store.all()).containsExactly(first, rankings.get(1));
    }
  }

  private static LabelStore<RankingSubmitted> open(Path file) {
    return LabelStore.open(file, RankingSubmitted.class);
  }
}
