package dev.rlhf.training;

import dev.rlhf.events.EventCodec;
import dev.rlhf.events.contract.TrainingRunFailed;
import dev.rlhf.events.contract.TrainingRunRequested;
import dev.rlhf.events.contract.TrainingSnapshotPart;
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

  /** How many of the command's parts have not arrived. */
  public int missing(TrainingRunRequested command) {
    long present =
        received(command.runId()).stream()
            .filter(p -> p.parts() == command.snapshotParts())
            .map(TrainingSnapshotPart::part)
            .distinct()
            .count();
    return (int) (command.snapshotParts() - present);
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
    Path run = directory.resolve(runId.toString());
    List<TrainingSnapshotPart> parts = new ArrayList<>();
    if (!Files.isDirectory(run)) return parts;
    try (Stream<Path> files = Files.list(run)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
        parts.add((TrainingSnapshotPart) EventCodec.decode(Files.readAllBytes(file)));
      }
    } catch (NoSuchFileException e) {
      return List.of(); // discarded meanwhile
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the parts of run " + runId, e);
    }
    return parts;
  }
}
