package dev.rlhf.training;

import dev.rlhf.events.EventCodec;
import dev.rlhf.events.contract.TrainingRunFailed;
import dev.rlhf.events.contract.TrainingRunRequested;
import dev.rlhf.events.contract.TrainingSnapshotPart;
import dev.rlhf.events.kafka.RetryLater;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The parts of large training snapshots a trainer has received and not yet joined to their command
 * (see {@link TrainingSnapshotPart}): one file per part under {@code <directory>/<run>/}, written
 * whole (a temporary file moved into place, forced to disk) before the consumer commits its offset,
 * so a part survives a restart. Keep the directory beside the checkpoints that the trainer's
 * replicas share: a part read by one replica is then found by another that takes the command after
 * a rebalance. A run's parts are deleted once its command has been recorded with its snapshot.
 */
public final class SnapshotParts {

  private final Path directory;

  public SnapshotParts(Path directory) {
    this.directory = directory;
  }

  /** Keeps a part until its command comes; a part kept already is left as it is. */
  public void accept(TrainingSnapshotPart part) {
    Path run = directory.resolve(part.runId().toString());
    Path file = run.resolve(part.part() + "-of-" + part.parts() + ".json");
    if (Files.exists(file)) return;
    try {
      Files.createDirectories(run);
      Path temporary = Files.createTempFile(run, "part", ".tmp");
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
        channel.write(java.nio.ByteBuffer.wrap(EventCodec.encode(part)));
        channel.force(true);
      }
      Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep part " + part.part() + " of " + part.runId(), e);
    }
  }

  /**
   * The command with its whole snapshot, or empty while a part is missing. A command that carries
   * its snapshot comes back as it is.
   */
  public Optional<TrainingRunRequested> assemble(TrainingRunRequested command) {
    if (command.snapshotParts() == 0) return Optional.of(command);
    return TrainingSnapshotPart.assemble(command, received(command.runId()));
  }

  /** How many of the command's parts have not arrived (read from the parts' file names). */
  public int missing(TrainingRunRequested command) {
    String suffix = "-of-" + command.snapshotParts() + ".json";
    return command.snapshotParts()
        - (int)
            files(command.runId()).stream()
                .map(f -> f.getFileName().toString())
                .filter(name -> name.endsWith(suffix))
                .count();
  }

  /**
   * The failure a trainer reports for a command whose parts did not all arrive within {@code wait}
   * of its being sent, or empty while it should keep waiting (or has them all).
   */
  public Optional<TrainingRunFailed> overdue(TrainingRunRequested command, Duration wait) {
    int missing = missing(command);
    if (missing == 0 || command.occurredAt().plus(wait).isAfter(Instant.now())) {
      return Optional.empty();
    }
    return Optional.of(
        new TrainingRunFailed(
            UUID.randomUUID(),
            Instant.now(),
            command.runId(),
            command.cycleId(),
            command.stage(),
            missing
                + " of the "
                + command.snapshotParts()
                + " parts of the run's label snapshot did not arrive within "
                + wait.toSeconds()
                + " s of the command; retry the cycle"));
  }

  /**
   * What a trainer's command consumer does with a command: the command with its whole snapshot;
   * while a part is missing, {@link RetryLater} (the consumer reads the command again later); once
   * the wait is over, empty, after handing the failure to {@code fail} and forgetting the parts.
   * The caller forgets the parts once it has recorded the command.
   */
  public Optional<TrainingRunRequested> join(
      TrainingRunRequested command, Duration wait, Consumer<TrainingRunFailed> fail) {
    if (command.snapshotParts() == 0) return Optional.of(command);
    int missing = missing(command);
    if (missing == 0) return assemble(command);
    Optional<TrainingRunFailed> overdue = overdue(command, wait);
    if (overdue.isEmpty()) {
      throw new RetryLater(
          missing + " snapshot parts of run " + command.runId() + " not received yet");
    }
    fail.accept(overdue.get());
    discard(command.runId());
    return Optional.empty();
  }

  /** Forgets a run's parts: its command has been recorded with its snapshot, or failed. */
  public void discard(UUID runId) {
    Path run = directory.resolve(runId.toString());
    if (!Files.isDirectory(run)) return;
    try (Stream<Path> files = Files.walk(run)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    } catch (NoSuchFileException e) {
      // another replica discarded it first
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + run, e);
    }
  }

  private List<TrainingSnapshotPart> received(UUID runId) {
    List<TrainingSnapshotPart> parts = new ArrayList<>();
    try {
      for (Path file : files(runId)) {
        parts.add((TrainingSnapshotPart) EventCodec.decode(Files.readAllBytes(file)));
      }
    } catch (NoSuchFileException e) {
      return List.of(); // discarded meanwhile
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the parts of run " + runId, e);
    }
    return parts;
  }

  /** The run's part files (not the temporary files of a part being written). */
  private List<Path> files(UUID runId) {
    Path run = directory.resolve(runId.toString());
    if (!Files.isDirectory(run)) return List.of();
    try (Stream<Path> files = Files.list(run)) {
      return files.filter(f -> f.toString().endsWith(".json")).toList();
    } catch (NoSuchFileException e) {
      return List.of(); // discarded meanwhile
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the parts of run " + runId, e);
    }
  }
}
