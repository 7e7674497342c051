package dev.rlhf.training;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.rlhf.events.EventCodec;
import dev.rlhf.events.MalformedEventException;
import dev.rlhf.events.contract.PlatformEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
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
 * <p>Memory holds only where each event's line starts (about 100 bytes an event, 200 MB for 2M
 * labels); the events themselves are read from the file when a snapshot asks for them, so a store
 * of every label a platform ever sent stays small, and a file over 2 GB opens (the whole file was
 * once read into one array).
 *
 * @param <E> the event type kept
 */
public final class LabelStore<E extends PlatformEvent> implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LabelStore.class);
  private static final int CHUNK = 1 << 16;

  private final Path file;
  private final Class<E> type;
  private final Map<UUID, Long> lineStart = new HashMap<>();
  private final FileChannel channel;
  // Reads go through a RandomAccessFile: unlike a FileChannel, an interrupt of the reading thread
  // (a run stopped at shutdown) does not close it.
  private final RandomAccessFile reader;
  private long end;
  private boolean unterminated;

  private LabelStore(Path file, Class<E> type) throws IOException {
    this.file = file;
    this.type = type;
    Files.createDirectories(file.toAbsolutePath().getParent());
    long validBytes = load();
    channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    channel.truncate(validBytes);
    channel.position(validBytes);
    end = validBytes;
    // A hand-written file may lack the final newline; the next append must not join lines.
    if (unterminated) {
      channel.write(ByteBuffer.wrap(new byte[] {'\n'}));
      end++;
    }
    reader = new RandomAccessFile(file.toFile(), "r");
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
    Long known = lineStart.get(event.eventId());
    if (known != null) {
      if (!read(known).equals(event)) {
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
    lineStart.put(event.eventId(), end);
    end += line.length;
    notifyAll();
    return true;
  }

  public synchronized int size() {
    return lineStart.size();
  }

  public synchronized boolean contains(UUID eventId) {
    return lineStart.containsKey(eventId);
  }

  /** Every stored event in the order it was accepted. */
  public synchronized List<E> all() {
    List<Long> starts = new ArrayList<>(lineStart.values());
    starts.sort(Comparator.naturalOrder());
    return starts.stream().map(this::read).toList();
  }

  /** The ids among {@code eventIds} that the store does not hold (yet). */
  public synchronized List<UUID> missing(Collection<UUID> eventIds) {
    return eventIds.stream().filter(id -> !lineStart.containsKey(id)).distinct().toList();
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
    return readAll(new LinkedHashSet<>(eventIds));
  }

  /** The events of a snapshot that this store holds (a snapshot may name labels of other kinds). */
  public synchronized List<E> storedOf(Collection<UUID> eventIds) {
    LinkedHashSet<UUID> stored = new LinkedHashSet<>();
    for (UUID id : eventIds) {
      if (lineStart.containsKey(id)) stored.add(id);
    }
    return readAll(stored);
  }

  /** The events of {@code ids} (all stored), in that order, read in the order of the file. */
  private List<E> readAll(Collection<UUID> ids) {
    List<UUID> order = new ArrayList<>(ids);
    Integer[] byPosition = new Integer[order.size()];
    for (int i = 0; i < byPosition.length; i++) byPosition[i] = i;
    Arrays.sort(byPosition, Comparator.comparingLong(i -> lineStart.get(order.get(i))));
    List<E> out = new ArrayList<>(Collections.nCopies(order.size(), null));
    for (int i : byPosition) out.set(i, read(lineStart.get(order.get(i))));
    return out;
  }

  /** The event whose line starts at {@code start}. */
  private E read(long start) {
    try {
      reader.seek(start);
      ByteArrayOutputStream line = new ByteArrayOutputStream(1024);
      byte[] chunk = new byte[4096];
      while (true) {
        int n = reader.read(chunk);
        if (n < 0) break;
        int newline = indexOf(chunk, n, (byte) '\n');
        line.write(chunk, 0, newline < 0 ? n : newline);
        if (newline >= 0) break;
      }
      return type.cast(EventCodec.fromJson(line.toString(StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + " at " + start, e);
    }
  }

  private static int indexOf(byte[] bytes, int length, byte b) {
    for (int i = 0; i < length; i++) {
      if (bytes[i] == b) return i;
    }
    return -1;
  }

  /** Reads the file's line starts; returns the length of its intact prefix. */
  private long load() throws IOException {
    if (!Files.exists(file)) return 0;
    List<String> skipped = new ArrayList<>();
    long start = 0;
    ByteArrayOutputStream line = new ByteArrayOutputStream(1024);
    try (InputStream in = Files.newInputStream(file)) {
      byte[] chunk = new byte[CHUNK];
      long position = 0;
      int n;
      boolean pending = false;
      while ((n = in.read(chunk)) >= 0) {
        int from = 0;
        for (int i = 0; i < n; i++) {
          if (chunk[i] != '\n') continue;
          line.write(chunk, from, i - from);
          index(line, start, skipped, false);
          line.reset();
          from = i + 1;
          start = position + i + 1;
        }
        line.write(chunk, from, n - from);
        pending = line.size() > 0;
        position += n;
      }
      unterminated = pending;
      if (pending && !index(line, start, skipped, true)) {
        unterminated = false; // cut off: what is left ends with a newline
        return start;
      }
      if (!skipped.isEmpty()) {
        LOG.warn("{} holds events that are no {}: {}", file, type.getSimpleName(), skipped);
      }
      return position;
    }
  }

  /**
   * Records where the event on {@code line} starts, from its type and id alone: an event is decoded
   * whole only when a snapshot reads it, which makes opening a large store several times faster.
   *
   * @param last whether the line is the file's unterminated end, which a crash may have torn
   * @return false for a torn last line (to be cut off)
   */
  private boolean index(
      ByteArrayOutputStream line, long start, List<String> skipped, boolean last) {
    byte[] bytes = line.toByteArray();
    if (new String(bytes, StandardCharsets.UTF_8).isBlank()) return true;
    try {
      Head head = head(bytes);
      if (head.type().equals(type.getSimpleName())) lineStart.putIfAbsent(head.eventId(), start);
      else skipped.add(head.type());
      return true;
    } catch (MalformedEventException e) {
      if (last) {
        LOG.warn("dropping a torn last line of {} ({} bytes)", file, line.size());
        return false;
      }
      throw new IllegalStateException("corrupt line in " + file + ": " + e.getMessage(), e);
    }
  }

  private record Head(String type, UUID eventId) {}

  /** An event's type and id, read by streaming over its JSON object without binding it. */
  private static Head head(byte[] json) {
    try (JsonParser parser = EventCodec.mapper().getFactory().createParser(json)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new MalformedEventException("an event is a JSON object");
      }
      String kind = null;
      String id = null;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        if ("type".equals(name) && value == JsonToken.VALUE_STRING) kind = parser.getText();
        else if ("eventId".equals(name) && value == JsonToken.VALUE_STRING) id = parser.getText();
        else parser.skipChildren();
      }
      if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
        throw new MalformedEventException("not one JSON object");
      }
      if (kind == null || id == null) {
        throw new MalformedEventException("an event names its type and eventId");
      }
      return new Head(kind, UUID.fromString(id));
    } catch (IOException | IllegalArgumentException e) {
      throw new MalformedEventException(String.valueOf(e.getMessage()), e);
    }
  }

  @Override
  public synchronized void close() {
    try {
      channel.close();
      reader.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
