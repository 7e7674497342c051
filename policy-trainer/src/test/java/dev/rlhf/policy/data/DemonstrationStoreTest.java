package dev.rlhf.policy.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rlhf.events.contract.DemonstrationSubmitted;
import dev.rlhf.policy.TinyPolicies;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemonstrationStoreTest {

  @TempDir Path dir;

  @Test
  void aRedeliveredDemonstrationIsStoredOnceAndSurvivesAReopen() {
    DemonstrationSubmitted d = TinyPolicies.demonstration("Hi?", "Hello.");
    try (DemonstrationStore store = DemonstrationStore.open(dir)) {
      assertThat(store.accept(d)).isTrue();
      assertThat(store.accept(d)).isFalse();
    }
    try (DemonstrationStore store = DemonstrationStore.open(dir)) {
      assertThat(store.size()).isEqualTo(1);
      assertThat(store.snapshot(List.of(d.eventId()))).containsExactly(d);
    }
  }

  @Test
  void aSnapshotSelectsExactlyItsEventsAndRefusesMissingOnes() {
    List<DemonstrationSubmitted> demos = TinyPolicies.demonstrations(5, "", 1);
    try (DemonstrationStore store = DemonstrationStore.open(dir)) {
      demos.forEach(store::accept);
      List<UUID> ids = List.of(demos.get(3).eventId(), demos.get(1).eventId());
      assertThat(store.snapshot(ids)).containsExactly(demos.get(3), demos.get(1));
      assertThatThrownBy(() -> store.snapshot(List.of(UUID.randomUUID())))
          .hasMessageContaining("not stored");
    }
  }

  @Test
  void aLineCutShortByACrashIsSkippedOnReopen() throws Exception {
    DemonstrationSubmitted d = TinyPolicies.demonstration("Hi?", "Hello.");
    try (DemonstrationStore store = DemonstrationStore.open(dir)) {
      store.accept(d);
    }
    Files.writeString(
        dir.resolve(DemonstrationStore.FILE_NAME),
        "{\"type\":\"Demonstr",
        StandardOpenOption.APPEND);
    try (DemonstrationStore store = DemonstrationStore.open(dir)) {
      assertThat(store.all()).containsExactly(d);
    }
  }
}
