package dev.rlhf.reward.data;

import dev.rlhf.events.EventCodec;
import dev.rlhf.events.MalformedEventException;
import dev.rlhf.events.contract.PlatformEvent;
import dev.rlhf.events.contract.RankingSubmitted;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rankings this trainer has accepted: an append-only JSONL file, one {@link RankingSubmitted}
 * event per line exactly as it travels on Kafka, keyed by event id. An event id already present is
 * ignored, so redelivery and replaying the topic from the beginning change nothing, and a store
 * deleted and rebuilt by replay holds the same events. Each line is forced to disk before the Kafka
 * offset is committed, so an accepted ranking survives a crash. Training reads a snapshot from it
 * by event id, never "everything so far".
 */
public final class RankingStore implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RankingStore.class);

  private final Path file;
  private final Map<UUID, RankingSubmitted> byId = new LinkedHashMap<>();
  private final FileChannel channel;

  private RankingStore(Path file) throws IOException {
    this.file = file;
    Files.createDirectories(file.toAbsolutePath().getParent());
    long validBytes = load();
    channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    // A crash mid-append leaves a torn last line: cut it off so the next append starts clean.
    channel.truncate(validBytes);
    channel.position(validBytes);
    if (unterminated) channel.write(ByteBuffer.wrap(new byte[] {'\n'}));
  }

  /** Opens (or creates) the store file, reading what it already holds. */
  public static RankingStore open(Path file) {
    try {
      return new RankingStore(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open ranking store " + file, e);
    }
  }

  public Path file() {
    return file;
  }

  /**
   * Appends the ranking unless its event id is already stored.
   *
   * @return whether it was new
   */
  public synchronized boolean accept(RankingSubmitted ranking) {
    RankingSubmitted known = byId.get(ranking.eventId());
    if (known != null) {
      if (!known.equals(ranking)) {
        LOG.warn("event {} redelivered with other content; keeping the first", ranking.eventId());
      }
      return false;
    }
    byte[] line = (EventCodec.toJson(ranking) + "\n").getBytes(StandardCharsets.UTF_8);
    try {
      ByteBuffer buffer = ByteBuffer.wrap(line);
      while (buffer.hasRemaining()) channel.write(buffer);
      channel.force(false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to " + file, e);
    }
    byId.put(ranking.eventId(), ranking);
    notifyAll();
    return true;
  }

  public synchronized int size() {
    return byId.size();
  }

  /** Every stored ranking in the order it was accepted. */
  public synchronized List<RankingSubmitted> all() {
    return List.copyOf(byId.values());
  }

  /** The ids among {@code eventIds} that the store does not hold (yet). */
  public synchronized List<UUID> missing(List<UUID> eventIds) {
    return eventIds.stream().filter(id -> !byId.containsKey(id)).distinct().toList();
  }

  /**
   * Waits up to {@code millis} until every id is stored, or until {@code giveUp} holds; returns the
   * ids still missing.
   */
  public synchronized List<UUID> awaitAll(List<UUID> eventIds, long millis, BooleanSupplier giveUp)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + millis;
    List<UUID> missing = missing(eventIds);
    while (!missing.isEmpty() && System.currentTimeMillis() < deadline && !giveUp.getAsBoolean()) {
      wait(Math.max(1, Math.min(200, deadline - System.currentTimeMillis())));
      missing = missing(eventIds);
    }
    return missing;
  }

  /** The rankings of a snapshot, in the snapshot's order (duplicates listed once). */
  public synchronized List<RankingSubmitted> snapshot(List<UUID> eventIds) {
    List<UUID> missing = missing(eventIds);
    if (!missing.isEmpty()) {
      throw new IllegalStateException("snapshot references unknown label events " + missing);
    }
    return eventIds.stream().distinct().map(byId::get).toList();
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
          if (event instanceof RankingSubmitted r) byId.putIfAbsent(r.eventId(), r);
          else skipped.add(event.getClass().getSimpleName());
        } catch (MalformedEventException e) {
          if (end == bytes.length) {
            LOG.warn("dropping a torn last line of {} ({} bytes)", file, end - start);
            return start;
          }
          throw new IllegalStateException("corrupt line in " + file + ": " + e.getMessage(), e);
        }
      }
      // A hand-written file may lack the final newline; the next append must not join lines.
      unterminated = end == bytes.length;
      start = end + 1;
    }
    if (!skipped.isEmpty()) LOG.warn("{} holds events that are no rankings: {}", file, skipped);
    return bytes.length;
  }

  private boolean unterminated;

  @Override
  public synchronized void close() {
    try {
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
