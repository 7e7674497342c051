package dev.rlhf.events.kafka;

import dev.rlhf.events.EventCodec;
import dev.rlhf.events.contract.PlatformEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * How a worker ends a run whose result others must learn (a published version, a failure): the
 * event is written into the run's directory first, then sent until the broker acknowledges it. A
 * worker that stops or crashes before the run's end is recorded finds the event at its next start
 * and sends it again, the same event with the same id, which consumers take once, instead of
 * training again or leaving the run unanswered.
 */
public final class DecidedEvent {

  static final String FILE = "decided-event.json";

  private DecidedEvent() {}

  /**
   * Records the event in {@code runDirectory}, then publishes it until acknowledged.
   *
   * @throws IllegalStateException when {@code stopping} ended the tries first; the file stays
   */
  public static void publish(
      EventPublisher publisher, Path runDirectory, PlatformEvent event, BooleanSupplier stopping) {
    try {
      Files.createDirectories(runDirectory);
      Path tmp = runDirectory.resolve(FILE + ".tmp");
      Files.writeString(tmp, EventCodec.toJson(event));
      Files.move(
          tmp,
          runDirectory.resolve(FILE),
          StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot record the event of " + runDirectory, e);
    }
    publisher.publishUntilAcknowledged(event, stopping);
  }

  /** The event decided in {@code runDirectory} and maybe not yet acknowledged, if any. */
  public static Optional<PlatformEvent> find(Path runDirectory) {
    Path file = runDirectory.resolve(FILE);
    if (!Files.isRegularFile(file)) return Optional.empty();
    try {
      return Optional.of(EventCodec.fromJson(Files.readString(file)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
