package dev.rlhf.reward.training;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.events.EventCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The working directory of one run: {@code last/} (the resumable checkpoint) with {@code
 * state.json} saying which step it holds, {@code best/} (weights of the best evaluation so far),
 * and {@code outcome.json} once the run has ended. A run restarted on the same directory continues
 * from {@code state.json}.
 */
public final class RunDirectory {

  private static final ObjectMapper JSON = EventCodec.mapper();
  private final Path dir;

  public RunDirectory(Path dir) {
    this.dir = dir;
  }

  public Path path() {
    return dir;
  }

  Path last() {
    return dir.resolve("last");
  }

  Path best() {
    return dir.resolve("best");
  }

  /** Where the run's independent check model trains, resumable like the run itself. */
  RunDirectory check() {
    return new RunDirectory(dir.resolve("check"));
  }

  /** The state of the last checkpoint, if the run got that far. */
  public Optional<RunState> state() {
    Path f = dir.resolve("state.json");
    if (!Files.exists(f)) return Optional.empty();
    try {
      return Optional.of(JSON.readValue(f.toFile(), RunState.class));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + f, e);
    }
  }

  /** Written after the checkpoint it describes, atomically, so it never points at a torn one. */
  void saveState(RunState state) {
    write("state.json", state);
  }

  /** How the run ended, if it did. */
  public Optional<RunOutcome> outcome() {
    Path f = dir.resolve("outcome.json");
    if (!Files.exists(f)) return Optional.empty();
    try {
      return Optional.of(JSON.readValue(f.toFile(), RunOutcome.class));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + f, e);
    }
  }

  public void saveOutcome(RunOutcome outcome) {
    write("outcome.json", outcome);
  }

  private void write(String name, Object value) {
    try {
      Files.createDirectories(dir);
      Path tmp = dir.resolve(name + ".tmp");
      JSON.writeValue(tmp.toFile(), value);
      Files.move(
          tmp,
          dir.resolve(name),
          StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir.resolve(name), e);
    }
  }

  /**
   * How a run ended.
   *
   * @param status SUCCEEDED, FAILED or CANCELLED
   * @param detail the published version's checkpoint, or the reason
   */
  public record RunOutcome(String status, String detail) {}
}
