package dev.rlhf.policy.data;

import dev.rlhf.events.EventCodec;
import dev.rlhf.events.MalformedEventException;
import dev.rlhf.events.contract.DemonstrationSubmitted;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every demonstration event this trainer accepted, kept so that a run can train on exactly the
 * snapshot its command names.
 *
 * <p>The store is one append-only JSON-lines file: each line is an event exactly as it came off
 * Kafka (the shared codec's JSON). An event is appended and forced to disk before the consumer
 * commits its offset, so an accepted event is never lost; events are keyed by event id, so a
 * redelivered event is recognised and changes nothing. A line cut short by a crash is skipped on
 * reading: its event was not committed on Kafka and comes again. The whole file is indexed in
 * memory on open (demonstrations are few and small: hand-written by contractors).
 */
public final class DemonstrationStore implements AutoCloseable {

  public static final String FILE_NAME = "demonstrations.jsonl";
  private static final Logger LOG = LoggerFactory.getLogger(DemonstrationStore.class);

  private final Path file;
  private final FileChannel channel;
  private final Map<UUID, DemonstrationSubmitted> byEventId = new LinkedHashMap<>();

  private DemonstrationStore(Path file) throws IOException {
    this.file = file;
    Files.createDirectories(file.getParent());
    if (Files.exists(file)) {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        read(line);
      }
    }
    this.channel =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
  }

  /** Opens (or creates) the store in {@code directory}. */
  public static DemonstrationStore open(Path directory) {
    try {
      return new DemonstrationStore(directory.resolve(FILE_NAME));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the demonstration store in " + directory, e);
    }
  }

  private void read(String line) {
    if (line.isBlank()) {
      return;
    }
    try {
      if (EventCodec.fromJson(line) instanceof DemonstrationSubmitted d) {
        byEventId.putIfAbsent(d.eventId(), d);
      }
    } catch (MalformedEventException e) {
      LOG.warn(
          "skipping an unreadable line of {} (cut short by a crash?): {}", file, e.getMessage());
    }
  }

  /**
   * Stores the event durably unless its id is already stored.
   *
   * @return whether it was new
   */
  public synchronized boolean accept(DemonstrationSubmitted event) {
    if (byEventId.containsKey(event.eventId())) {
      return false;
    }
    byte[] line = (EventCodec.toJson(event) + "\n").getBytes(StandardCharsets.UTF_8);
    try {
      ByteBuffer buffer = ByteBuffer.wrap(line);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to " + file, e);
    }
    byEventId.put(event.eventId(), event);
    return true;
  }

  public synchronized int size() {
    return byEventId.size();
  }

  public synchronized boolean contains(UUID eventId) {
    return byEventId.containsKey(eventId);
  }

  /** Every stored demonstration, in arrival order. */
  public synchronized List<DemonstrationSubmitted> all() {
    return List.copyOf(byEventId.values());
  }

  /** The ids of {@code eventIds} not (yet) in the store. */
  public synchronized List<UUID> missing(Collection<UUID> eventIds) {
    return eventIds.stream().filter(id -> !byEventId.containsKey(id)).toList();
  }

  /**
   * Exactly the demonstrations of a snapshot, in the snapshot's order.
   *
   * @throws IllegalStateException naming how many are missing, when some are not stored
   */
  public synchronized List<DemonstrationSubmitted> snapshot(Collection<UUID> eventIds) {
    List<UUID> missing = missing(eventIds);
    if (!missing.isEmpty()) {
      throw new IllegalStateException(
          missing.size()
              + " demonstrations of the snapshot are not stored, e.g. "
              + missing.get(0));
    }
    List<DemonstrationSubmitted> out = new ArrayList<>();
    for (UUID id : eventIds) {
      out.add(byEventId.get(id));
    }
    return out;
  }

  /** The demonstrations of a snapshot that are stored (a PPO snapshot may also name rankings). */
  public synchronized List<DemonstrationSubmitted> storedOf(Collection<UUID> eventIds) {
    return eventIds.stream().map(byEventId::get).filter(d -> d != null).toList();
  }

  @Override
  public synchronized void close() {
    try {
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
