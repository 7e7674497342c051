package dev.rlhf.events.kafka;

import dev.rlhf.events.EventCodec;
import dev.rlhf.events.MalformedEventException;
import dev.rlhf.events.Topic;
import dev.rlhf.events.contract.PlatformEvent;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads events of some topics in a consumer group and hands them to a handler, on its own thread:
 * one at a time, or (see {@link #batched}) all events of a poll at once.
 *
 * <p>Nothing but {@link #close()} ends the loop. A failing handler, a commit refused after a
 * rebalance, a broker that is away: each is logged, paused on (the pause doubles with each failure
 * in a row, up to a limit) and retried, and the loop reports it in {@link #status()} for health
 * checks and metrics. Offsets are committed only after handling, and a failed poll goes back to the
 * first unhandled record of every one of its partitions, so nothing is skipped: handlers must be
 * idempotent by event id, which also makes a redelivery harmless.
 *
 * <p>A record that is not a valid event goes to the topic's dead-letter twin with the reason and
 * the consumer moves on. So does a record the handler failed on {@link
 * ConsumerSettings#attemptsBeforeDeadLetter} times in a row, unless the failures were outages of a
 * dependency ({@link Outages}) or {@link RetryLater}: those are retried for as long as they last.
 */
public final class EventConsumerLoop implements AutoCloseable {

  public static final String REASON_HEADER = "dead-letter-reason";
  public static final String SOURCE_HEADER = "dead-letter-source";

  /** Handles the events of one poll together, all or nothing (say, in one database transaction). */
  @FunctionalInterface
  public interface BatchHandler {

    /**
     * Why an event can never be handled, or empty. Checked for every event before {@link #handle};
     * a refused event goes to the dead-letter topic with the reason instead.
     */
    default Optional<String> refusal(PlatformEvent event) {
      return Optional.empty();
    }

    /** Handles events in their order; throwing means that none of them was handled. */
    void handle(List<PlatformEvent> events);
  }

  private static final Logger LOG = LoggerFactory.getLogger(EventConsumerLoop.class);
  private static final Duration POLL = Duration.ofMillis(500);

  private final String group;
  private final List<String> topicNames;
  private final ConsumerSettings settings;
  private final Consumer<PlatformEvent> handler;
  private final BatchHandler batchHandler;
  private final KafkaConsumer<String, byte[]> consumer;
  private final DeadLetterSender deadLetters;
  private final LoopHealth health;
  private final Thread thread;
  private final CountDownLatch closing = new CountDownLatch(1);

  // One-at-a-time mode: the record that failed last, and how often in a row (outages not counted).
  private String failingRecord;
  private int failingAttempts;

  /** Handles one event at a time, in order; a failing event holds back the ones after it. */
  public EventConsumerLoop(
      String bootstrapServers,
      String groupId,
      Collection<Topic> topics,
      Consumer<PlatformEvent> handler) {
    this(bootstrapServers, groupId, topics, handler, ConsumerSettings.defaults());
  }

  public EventConsumerLoop(
      String bootstrapServers,
      String groupId,
      Collection<Topic> topics,
      Consumer<PlatformEvent> handler,
      ConsumerSettings settings) {
    this(bootstrapServers, groupId, topics, handler, null, settings);
  }

  /**
   * Hands all valid events of each poll to one call of the handler. When that call fails, each
   * event is tried on its own: if some succeed, the ones that still fail are poison (they can never
   * be handled) and go to the dead-letter topic with the failure as the reason, so they never hold
   * back the rest; if all fail, or the failure is an outage, the handler itself is down and the
   * whole poll is retried after a pause. Events may therefore be handled out of order when a batch
   * fails.
   */
  public static EventConsumerLoop batched(
      String bootstrapServers, String groupId, Collection<Topic> topics, BatchHandler handler) {
    return batched(bootstrapServers, groupId, topics, handler, ConsumerSettings.defaults());
  }

  /** {@link #batched(String, String, Collection, BatchHandler)} with its own tunables. */
  public static EventConsumerLoop batched(
      String bootstrapServers,
      String groupId,
      Collection<Topic> topics,
      BatchHandler handler,
      ConsumerSettings settings) {
    return new EventConsumerLoop(bootstrapServers, groupId, topics, null, handler, settings);
  }

  private EventConsumerLoop(
      String bootstrapServers,
      String groupId,
      Collection<Topic> topics,
      Consumer<PlatformEvent> handler,
      BatchHandler batchHandler,
      ConsumerSettings settings) {
    this.group = groupId;
    this.topicNames = topics.stream().map(Topic::topicName).toList();
    this.handler = handler;
    this.batchHandler = batchHandler;
    this.settings = settings;
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, settings.maxPollRecords());
    p.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) settings.maxPollInterval().toMillis());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    // A member killed with -9 holds its partitions until its session times out: 10 s, not 45.
    p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
    KafkaClientSecurity.apply(p);
    consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    deadLetters = new DeadLetterSender(bootstrapServers, groupId + "-dead-letters");
    health = new LoopHealth(groupId, topicNames);
    thread = new Thread(this::run, "events-" + groupId);
    thread.setDaemon(true);
  }

  public EventConsumerLoop start() {
    ConsumerLoops.started(this);
    thread.start();
    return this;
  }

  /** How this loop is doing; safe to call from any thread. */
  public ConsumerStatus status() {
    return health.status(thread.isAlive());
  }

  private void run() {
    try {
      consumer.subscribe(topicNames);
      while (!isClosing()) {
        try {
          pollOnce();
        } catch (WakeupException e) {
          // close() woke the poll up; the loop's condition ends it
        } catch (OutOfMemoryError e) {
          throw e; // nothing can be retried now; health shows the loop dead
        } catch (Throwable e) {
          // A commit refused after a rebalance, a broker timeout, a bug: re-poll from what is
          // committed, so what this poll left unhandled comes again.
          health.failed(e);
          rewindToCommitted();
          pause();
        }
      }
    } finally {
      try {
        consumer.close();
      } finally {
        deadLetters.close();
      }
    }
  }

  private void pollOnce() {
    ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
    health.polled(lag());
    if (records.isEmpty()) return;
    boolean done = batchHandler == null ? handleEach(records) : handleTogether(records);
    if (done) health.succeeded();
  }

  /**
   * Returns false when a record failed: the poll was rewound to it, to be retried after a pause.
   */
  private boolean handleEach(ConsumerRecords<String, byte[]> records) {
    Map<TopicPartition, Long> unhandled = firstOffsets(records);
    Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
    for (ConsumerRecord<String, byte[]> record : records) {
      TopicPartition partition = new TopicPartition(record.topic(), record.partition());
      Throwable failure = handleOne(record);
      if (failure != null) {
        commit(done);
        // Every partition of the poll goes back, not only the failed record's: the records after
        // it in the poll, of any partition, were never handled.
        seek(unhandled);
        health.failed(failure);
        pause();
        return false;
      }
      unhandled.put(partition, record.offset() + 1);
      done.put(partition, new OffsetAndMetadata(record.offset() + 1));
    }
    commit(done);
    return true;
  }

  /** Handles or dead-letters one record; returns the failure when it must be retried. */
  private Throwable handleOne(ConsumerRecord<String, byte[]> record) {
    PlatformEvent event;
    try {
      event = EventCodec.decode(record.value());
    } catch (MalformedEventException e) {
      return deadLetter(record, e.getMessage());
    }
    String coordinates = DeadLetterSender.coordinates(record);
    if (coordinates.equals(failingRecord)
        && failingAttempts >= settings.attemptsBeforeDeadLetter()) {
      Throwable unsent =
          deadLetter(
              record,
              "the handler failed " + failingAttempts + " times, lastly: " + health.lastFailure());
      if (unsent == null) failingRecord = null;
      return unsent;
    }
    try {
      handler.accept(event);
      health.handled(1);
      return null;
    } catch (OutOfMemoryError e) {
      throw e;
    } catch (Throwable e) {
      if (!Outages.isOutage(e)) {
        failingAttempts = coordinates.equals(failingRecord) ? failingAttempts + 1 : 1;
        failingRecord = coordinates;
      }
      return e;
    }
  }

  /** Returns false when the poll was rewound, to be retried after a pause. */
  private boolean handleTogether(ConsumerRecords<String, byte[]> records) {
    BatchPoll.Outcome outcome = BatchPoll.handle(batchHandler, records, group);
    if (outcome.retry() != null) {
      retryLater(records, outcome.retry());
      return false;
    }
    // Dead letters only once the rest is handled, so a poll retried for the handler sends none
    // twice; one retried because the dead-letter topic is unreachable finds its events handled.
    for (BatchPoll.Refused refused : outcome.refused()) {
      Throwable unsent = deadLetter(refused.record(), refused.reason());
      if (unsent != null) {
        retryLater(records, unsent);
        return false;
      }
    }
    commit(nextOffsets(records));
    health.handled(outcome.handled());
    return true;
  }

  private void retryLater(ConsumerRecords<String, byte[]> records, Throwable failure) {
    seek(firstOffsets(records));
    health.failed(failure);
    pause();
  }

  private void commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
    if (!offsets.isEmpty()) consumer.commitSync(offsets);
  }

  /**
   * Seeks the partitions still assigned; a revoked one is read from its commit by its new owner.
   */
  private void seek(Map<TopicPartition, Long> offsets) {
    Set<TopicPartition> assigned = consumer.assignment();
    offsets.forEach(
        (partition, offset) -> {
          if (assigned.contains(partition)) consumer.seek(partition, offset);
        });
  }

  private void rewindToCommitted() {
    try {
      Set<TopicPartition> assigned = consumer.assignment();
      if (assigned.isEmpty()) return;
      Map<TopicPartition, OffsetAndMetadata> committed =
          consumer.committed(assigned, Duration.ofSeconds(5));
      for (TopicPartition partition : assigned) {
        OffsetAndMetadata offset = committed.get(partition);
        if (offset == null) consumer.seekToBeginning(List.of(partition));
        else consumer.seek(partition, offset);
      }
    } catch (RuntimeException e) {
      // A rebalance takes the partitions away anyway, and their next owner reads from the commit.
      LOG.debug("consumer {}: could not rewind: {}", group, e.toString());
    }
  }

  private static Map<TopicPartition, Long> firstOffsets(ConsumerRecords<String, byte[]> records) {
    Map<TopicPartition, Long> first = new HashMap<>();
    for (TopicPartition partition : records.partitions()) {
      first.put(partition, records.records(partition).get(0).offset());
    }
    return first;
  }

  private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(
      ConsumerRecords<String, byte[]> records) {
    Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
    for (TopicPartition partition : records.partitions()) {
      List<ConsumerRecord<String, byte[]>> in = records.records(partition);
      next.put(partition, new OffsetAndMetadata(in.get(in.size() - 1).offset() + 1));
    }
    return next;
  }

  /** Returns null once the letter is sent, or the failure: the record must then be retried. */
  private Throwable deadLetter(ConsumerRecord<String, byte[]> record, String reason) {
    Throwable unsent = deadLetters.send(record, reason);
    if (unsent == null) health.deadLettered();
    return unsent;
  }

  private void pause() {
    try {
      closing.await(settings.pauseAfter(health.failures()).toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private boolean isClosing() {
    return closing.getCount() == 0 || Thread.currentThread().isInterrupted();
  }

  private long lag() {
    long total = 0;
    for (TopicPartition partition : consumer.assignment()) {
      OptionalLong behind = consumer.currentLag(partition);
      if (behind.isEmpty()) return -1;
      total += behind.getAsLong();
    }
    return total;
  }

  @Override
  public void close() {
    closing.countDown();
    consumer.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      ConsumerLoops.closed(this);
    }
  }
}
