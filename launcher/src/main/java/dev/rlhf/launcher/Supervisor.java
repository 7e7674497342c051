package dev.rlhf.launcher;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the platform's parts running once it has started: a service or PostgreSQL that dies is
 * started again, after a pause that doubles with each crash in a row (1 s up to a minute, reset
 * once the part has been up for two minutes), and a service whose liveness check answers DOWN three
 * times in a row (a consumer thread ended, say) is killed and started again. Every step is one line
 * of the run command's output.
 */
final class Supervisor implements AutoCloseable {

  /** Something the supervisor can watch and start again. */
  interface Part {
    String name();

    /** Empty while it runs; otherwise how it ended. */
    Optional<String> stopped();

    /** Starts it again; it need not be ready yet. */
    void restart() throws Exception;

    /** Whether it serves again (for the "is back" line). */
    boolean ready();

    /** Whether it says, now, that it is not alive; false when it cannot tell. */
    default boolean failsLiveness() {
      return false;
    }

    void kill();
  }

  /**
   * How often the supervisor looks, how often it asks for liveness, the pauses before a restart
   * (doubling from the first up to the longest), and how long a part must stay up for its crashes
   * to be forgotten.
   */
  record Timing(
      Duration tick,
      Duration livenessEvery,
      Duration firstPause,
      Duration longestPause,
      Duration stable) {

    static final Timing DEFAULT =
        new Timing(
            Duration.ofSeconds(1),
            Duration.ofSeconds(5),
            Duration.ofSeconds(1),
            Duration.ofMinutes(1),
            Duration.ofMinutes(2));

    /** The pause before the restart after {@code crashes} crashes in a row. */
    Duration pause(int crashes) {
      long millis = firstPause.toMillis() << Math.min(crashes - 1, 10);
      return Duration.ofMillis(Math.min(millis, longestPause.toMillis()));
    }
  }

  private static final int LIVENESS_FAILURES = 3;
  private static final DateTimeFormatter CLOCK_TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

  private enum State {
    RUNNING,
    WAITING,
    STARTING
  }

  /** One part and what the supervisor knows of it; touched by the supervisor's thread only. */
  private static final class Watched {
    final Part part;
    State state = State.RUNNING;
    Instant since = Instant.now();
    Instant stoppedAt;
    Instant restartAt;
    int crashes;
    int livenessFailures;
    Instant livenessCheckedAt = Instant.now();

    Watched(Part part) {
      this.part = part;
    }
  }

  private final List<Watched> parts;
  private final Platform.Progress progress;
  private final Timing timing;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "supervisor");
            t.setDaemon(true);
            return t;
          });

  Supervisor(List<? extends Part> parts, Platform.Progress progress) {
    this(parts, progress, Timing.DEFAULT);
  }

  Supervisor(List<? extends Part> parts, Platform.Progress progress, Timing timing) {
    this.parts = parts.stream().map(Watched::new).toList();
    this.progress = progress;
    this.timing = timing;
  }

  Supervisor start() {
    timer.scheduleWithFixedDelay(this::tick, 0, timing.tick().toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  private void tick() {
    for (Watched watched : parts) {
      try {
        check(watched, Instant.now());
      } catch (RuntimeException e) {
        say(watched.part.name() + ": supervision failed: " + e);
      }
    }
  }

  private void check(Watched w, Instant now) {
    switch (w.state) {
      case RUNNING, STARTING -> {
        Optional<String> stopped = w.part.stopped();
        if (stopped.isPresent()) {
          crashed(w, now, stopped.get());
        } else if (w.state == State.STARTING && w.part.ready()) {
          say(w.part.name() + " is back, " + seconds(w.stoppedAt, now) + " after it stopped");
          w.state = State.RUNNING;
          w.since = now;
        } else if (w.state == State.RUNNING) {
          if (w.crashes > 0 && now.isAfter(w.since.plus(timing.stable()))) w.crashes = 0;
          checkLiveness(w, now);
        }
      }
      case WAITING -> {
        if (now.isBefore(w.restartAt)) return;
        try {
          w.part.restart();
          w.state = State.STARTING;
          w.livenessFailures = 0;
        } catch (Exception e) {
          crashed(w, now, "could not be started again: " + e.getMessage());
        }
      }
    }
  }

  private void crashed(Watched w, Instant now, String how) {
    w.crashes++;
    if (w.stoppedAt == null || w.state == State.RUNNING) w.stoppedAt = now;
    Duration pause = timing.pause(w.crashes);
    w.state = State.WAITING;
    w.restartAt = now.plus(pause);
    say(
        w.part.name()
            + " "
            + how
            + "; starting it again in "
            + String.format("%.1f", pause.toMillis() / 1000.0)
            + " s (restart "
            + w.crashes
            + " in a row)");
  }

  private void checkLiveness(Watched w, Instant now) {
    if (now.isBefore(w.livenessCheckedAt.plus(timing.livenessEvery()))) return;
    w.livenessCheckedAt = now;
    if (!w.part.failsLiveness()) {
      w.livenessFailures = 0;
      return;
    }
    if (++w.livenessFailures < LIVENESS_FAILURES) return;
    say(
        w.part.name()
            + " failed its liveness check "
            + LIVENESS_FAILURES
            + " times in a row (see its /q/health/live); killing it");
    w.part.kill();
  }

  private static String seconds(Instant from, Instant to) {
    return String.format("%.1f s", Duration.between(from, to).toMillis() / 1000.0);
  }

  private void say(String message) {
    progress.step(clockTime(LocalTime.now()) + " " + message);
  }

  /** HH:mm:ss, seconds always written (LocalTime's own text drops them on the minute). */
  static String clockTime(LocalTime time) {
    return CLOCK_TIME.format(time);
  }

  /** Stops watching; returns once a check under way has finished, so nothing restarts after. */
  @Override
  public void close() {
    timer.shutdown();
    try {
      timer.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
