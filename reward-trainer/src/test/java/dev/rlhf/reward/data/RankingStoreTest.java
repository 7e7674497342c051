package dev.rlhf.reward.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rlhf.reward.Preferences;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RankingStoreTest {

  @TempDir Path dir;

  @Test
  void ingestingTheSameEventsTwiceGivesTheSameDataset() {
    var rankings = Preferences.politeOverRude(30, 5);
    Path file = dir.resolve("rankings.jsonl");
    PreferenceDataset once;
    try (RankingStore store = RankingStore.open(file)) {
      rankings.forEach(store::accept);
      once = PreferenceDataset.of(store.all(), 20);
      assertThat(rankings.stream().filter(store::accept)).isEmpty();
      assertThat(store.size()).isEqualTo(30);
      assertThat(PreferenceDataset.of(store.all(), 20)).usingRecursiveComparison().isEqualTo(once);
    }
    try (RankingStore reopened = RankingStore.open(file)) {
      rankings.forEach(reopened::accept);
      assertThat(reopened.size()).isEqualTo(30);
      assertThat(PreferenceDataset.of(reopened.all(), 20))
          .usingRecursiveComparison()
          .isEqualTo(once);
    }
  }

  @Test
  void replayingIntoAFreshStoreRebuildsTheSameSnapshot() {
    var rankings = Preferences.politeOverRude(20, 6);
    var ids = rankings.stream().map(r -> r.eventId()).toList();
    try (RankingStore first = RankingStore.open(dir.resolve("a.jsonl"));
        RankingStore replayed = RankingStore.open(dir.resolve("b.jsonl"))) {
      rankings.forEach(first::accept);
      rankings.forEach(replayed::accept);
      rankings.forEach(replayed::accept);
      assertThat(replayed.snapshot(ids)).isEqualTo(first.snapshot(ids));
    }
  }

  @Test
  void aTornLastLineFromACrashIsDroppedAndTheStoreStaysUsable() throws Exception {
    var rankings = Preferences.politeOverRude(3, 7);
    Path file = dir.resolve("rankings.jsonl");
    try (RankingStore store = RankingStore.open(file)) {
      store.accept(rankings.get(0));
      store.accept(rankings.get(1));
    }
    Files.writeString(file, "{\"type\":\"RankingSub", StandardOpenOption.APPEND);
    try (RankingStore store = RankingStore.open(file)) {
      assertThat(store.size()).isEqualTo(2);
      assertThat(store.accept(rankings.get(2))).isTrue();
    }
    try (RankingStore store = RankingStore.open(file)) {
      assertThat(store.all()).containsExactlyElementsOf(rankings);
    }
  }
}
