package dev.rlhf.training;

import dev.rlhf.events.EventCodec;
import dev.rlhf.events.MalformedEventException;
import dev.rlhf.events.contract.PlatformEvent;
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
import java.util.Objects;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The label events of one kind a trainer has accepted (demonstrations, rankings), kept so a run
 * trains on exactly the snapshot its command names, never "everything so far".
 *
 * <p>One append-only JSON-lines file: each line an event exactly as it travels on Kafka, keyed by
 * event id. An event id already present is ignored, so redelivery and replaying the topic change
 * nothing, and a store deleted and rebuilt by replay holds the same events. Each line is forced to
 * disk before the consumer commits its offset, so an accepted label survives a crash; a line torn
 * by a crash mid-append is cut off on opening (its event was not committed and comes again).
 *
 * @param <E> the event type kept
 */
public final class LabelStore<E extends PlatformEvent> implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LabelStore.class);

  private final Path file;
  private final Class<E> type;
  private final Map<UUID, E> byId = new LinkedHashMap<>();
  private final FileChannel channel;
  private boolean unterminated;

  private LabelStore(Path file, Class<E> type) throws IOException {
    this.file = file;
    this.type = type;
    Files.createDirectories(file.toAbsolutePath().getParent());
    long validBytes = load();
    channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    channel.truncate(validBytes);
    channel.position(validBytes);
    // A hand-written file may lack the final newline; the next append must not join lines.
    if (unterminated) channel.write(ByteBuffer.wrap(new byte[] {'\n'}));
  }

  /** Opens (or creates) the store file, reading what it already holds. */
  public static <E extends PlatformEvent> LabelStore<E> open(Path file, Class<E> type) {
    try {
      return new LabelStore<>(file, type);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the label store " + file, e);
    }
  }

  public Path file() {
    return file;
  }

  /**
   * Appends the event unless its id is already stored.
   *
   * @return whether it was new
   */
  public synchronized boolean accept(E event) {
    E known = byId.get(event.eventId());
    if (known != null) {
      if (!known.equals(event)) {
        LOG.warn("event {} redelivered with other content; keeping the first", event.eventId());
      }
      return false;
    }
    byte[] line = (EventCodec.toJson(event) + "\n").getBytes(StandardCharsets.UTF_8);
    try {
      ByteBuffer buffer = ByteBuffer.wrap(line);
      while (buffer.hasRemaining()) channel.write(buffer);
      channel.force(false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to " + file, e);
    }
    byId.put(event.eventId(), event);
    notifyAll();
    return true;
  }

  public synchronized int size() {
    return byId.size();
  }

  public synchronized boolean contains(UUID eventId) {
    return byId.containsKey(eventId);
  }

  /** Every stored event in the order it was accepted. */
  public synchronized List<E> all() {
    return List.copyOf(byId.values());
  }

  /** The ids among {@code eventIds} that the store does not hold (yet). */
  public synchronized List<UUID> missing(Collection<UUID> eventIds) {
    return eventIds.stream().filter(id -> !byId.containsKey(id)).distinct().toList();
  }

  /**
   * Waits up to {@code millis} until every id is stored, or until {@code giveUp} holds; returns the
   * ids still missing.
   */
  public synchronized List<UUID> awaitAll(
      Collection<UUID> eventIds, long millis, BooleanSupplier giveUp) throws InterruptedException {
    long deadline = System.currentTimeMillis() + millis;
    List<UUID> missing = missing(eventIds);
    while (!missing.isEmpty() && System.currentTimeMillis() < deadline && !giveUp.getAsBoolean()) {
      wait(Math.max(1, Math.min(200, deadline - System.currentTimeMillis())));
      missing = missing(eventIds);
    }
    return missing;
  }

  /**
   * Exactly the events of a snapshot, in the snapshot's order (an id listed twice, once).
   *
   * @throws IllegalStateException naming how many are missing, when some are not stored
   */
  public synchronized List<E> snapshot(Collection<UUID> eventIds) {
    List<UUID> missing = missing(eventIds);
    if (!missing.isEmpty()) {
      throw new IllegalStateException(
          missing.size()
              + " "
              + type.getSimpleName()
              + " events of the snapshot are not stored, e.g. "
              + missing.get(0));
    }
    return eventIds.stream().distinct().map(byId::get).toList();
  }

  /** The events of a snapshot that this store holds (a snapshot may name labels of other kinds). */
  public synchronized List<E> storedOf(Collection<UUID> eventIds) {
    return eventIds.stream().distinct().map(byId::get).filter(Objects::nonNull).toList();
  }

  /** Reads the file; returns the length of its intact prefix. */
  private long load() throws IOException {
    if (!Files.exists(file)) return 0;
    byte[] bytes = Files.readAllBytes(file);
    int start = 0;
    List<String> skipped = new ArrayList<>();
    while (start < bytes.length) {
      int end = start;
      while (end < bytes.length && bytes[end] != '\n') end++;
      String line = new String(bytes, start, end - start, StandardCharsets.UTF_8);
      if (!line.isBlank()) {
        try {
          PlatformEvent event = EventCodec.fromJson(line);
          if (type.isInstance(event)) byId.putIfAbsent(event.eventId(), type.cast(event));
          else skipped.add(event.getClass().getSimpleName());
        } catch (MalformedEventException e) {
          if (end == bytes.length) {
            LOG.warn("dropping a torn last line of {} ({} bytes)", file, end - start);
            return start;
          }
          throw new IllegalStateException("corrupt line in " + file + ": " + e.getMessage(), e);
        }
      }
      unterminated = end == bytes.length;
      start = end + 1;
    }
    if (!skipped.isEmpty()) {
      LOG.warn("{} holds events that are no {}: {}", file, type.getSimpleName(), skipped);
    }
    return bytes.length;
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
