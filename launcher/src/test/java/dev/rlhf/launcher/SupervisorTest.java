package dev.rlhf.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The supervisor's decisions, on parts that only pretend to run, with a fast clock. */
class SupervisorTest {

  private static final Supervisor.Timing FAST =
      new Supervisor.Timing(
          Duration.ofMillis(10),
          Duration.ofMillis(20),
          Duration.ofMillis(100),
          Duration.ofMillis(400),
          Duration.ofMinutes(1));

  /** A part that dies when told, starts again when asked, and may claim to be not alive. */
  private static final class PretendPart implements Supervisor.Part {
    volatile boolean running = true;
    volatile boolean failsLiveness;
    final AtomicInteger restarts = new AtomicInteger();
    final AtomicInteger kills = new AtomicInteger();

    @Override
    public String name() {
      return "pretend-service";
    }

    @Override
    public Optional<String> stopped() {
      return running ? Optional.empty() : Optional.of("exited with code 137");
    }

    @Override
    public void restart() {
      restarts.incrementAndGet();
      failsLiveness = false;
      running = true;
    }

    @Override
    public boolean ready() {
      return running;
    }

    @Override
    public boolean failsLiveness() {
      return failsLiveness;
    }

    @Override
    public void kill() {
      kills.incrementAndGet();
      running = false;
    }
  }

  private final List<String> said = new CopyOnWriteArrayList<>();

  @Test
  void shouldStartADeadPartAgainAfterAPauseThatDoublesWithEachCrashInARowUpToALimit() {
    PretendPart part = new PretendPart();
    try (Supervisor supervisor = new Supervisor(List.of(part), said::add, FAST).start()) {
      for (int crash = 1; crash <= 4; crash++) {
        int before = part.restarts.get();
        part.running = false;
        await().atMost(Duration.ofSeconds(10)).until(() -> part.restarts.get() > before);
        int done = crash;
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> said.stream().filter(s -> s.contains("is back")).count() == done);
      }
    }
    assertThat(said)
        .filteredOn(s -> s.contains("exited with code 137"))
        .extracting(s -> s.substring(s.indexOf("again in")))
        .containsExactly(
            "again in 0.1 s (restart 1 in a row)",
            "again in 0.2 s (restart 2 in a row)",
            "again in 0.4 s (restart 3 in a row)",
            "again in 0.4 s (restart 4 in a row)");
  }

  @Test
  void shouldStampEachLineWithHoursMinutesAndSecondsOnTheMinuteToo() {
    assertThat(Supervisor.clockTime(LocalTime.of(5, 7, 0, 250_000_000))).isEqualTo("05:07:00");
    assertThat(Supervisor.clockTime(LocalTime.of(17, 7, 42))).isEqualTo("17:07:42");
  }

  @Test
  void shouldKillAndRestartAPartWhoseLivenessIsDownThreeTimesInARow() {
    PretendPart part = new PretendPart();
    try (Supervisor supervisor = new Supervisor(List.of(part), said::add, FAST).start()) {
      part.failsLiveness = true;
      await().atMost(Duration.ofSeconds(10)).until(() -> part.restarts.get() == 1);
    }
    assertThat(part.kills).hasValue(1);
    assertThat(said).anyMatch(s -> s.contains("failed its liveness check 3 times in a row"));
  }

  @Test
  void shouldRestartNothingOnceClosed() throws InterruptedException {
    PretendPart part = new PretendPart();
    new Supervisor(List.of(part), said::add, FAST).start().close();
    part.running = false;
    Thread.sleep(200);
    assertThat(part.restarts).hasValue(0);
  }
}
