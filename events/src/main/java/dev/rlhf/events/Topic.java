package dev.rlhf.events;

/**
 * The topic catalogue: every Kafka topic the platform uses, and the one owner that writes it. Each
 * topic has a dead-letter twin where consumers put what they cannot read, with the reason.
 *
 * <p>Each topic also says which order its readers rely on ({@link Ordering}): a topic whose events
 * only need to stay in order per key may have many partitions (the deployments give it {@code
 * KAFKA_PARTITIONS}), one whose readers replay it as a whole must keep exactly one.
 */
public enum Topic {
  /** Demonstrations written by contractors; written by labeling-service (outbox). Key: prompt. */
  DEMONSTRATIONS("rlhf.labels.demonstrations", Ordering.PER_KEY),
  /** Rankings of completions; written by labeling-service (outbox). Key: prompt. */
  RANKINGS("rlhf.labels.rankings", Ordering.PER_KEY),
  /**
   * Requests for K completions of a prompt; written by labeling-service, read by the runtime. Key:
   * request.
   */
  COMPLETION_REQUESTS("rlhf.completions.requested", Ordering.PER_KEY),
  /**
   * Completions sampled by the runtime; read by labeling-service, which makes ranking tasks. Key:
   * request.
   */
  COMPLETIONS("rlhf.completions.generated", Ordering.PER_KEY),
  /**
   * Commands that start or cancel training runs, and the parts of snapshots too large for one
   * record (before their command); written by labeling-service. Key: run.
   */
  TRAINING_COMMANDS("rlhf.training.commands", Ordering.PER_KEY),
  /** Progress, failures and finished runs from the trainers. Key: run. */
  TRAINING_PROGRESS("rlhf.training.progress", Ordering.PER_KEY),
  /**
   * Published and promoted policy and reward versions. Key: version; but each runtime replays the
   * whole topic and serves the promotion it reads last, so promotions of different versions must
   * keep the order they were made in.
   */
  MODEL_VERSIONS("rlhf.models.versions", Ordering.WHOLE_TOPIC),
  /** Misbehavior reports streamed in from production systems. Key: source and its report id. */
  MISBEHAVIOR_REPORTS("rlhf.reports.misbehavior", Ordering.PER_KEY),
  /** Heartbeats of the worker processes (trainers and runtime). Key: worker. */
  WORKERS("rlhf.platform.workers", Ordering.PER_KEY),
  /**
   * Keys an admin issued to clients of the model runtime, as digests, and their revocation. Key:
   * runtime key; replayed whole by each runtime on start, kept on one partition like the versions.
   */
  RUNTIME_KEYS("rlhf.runtime.keys", Ordering.WHOLE_TOPIC);

  /** The order a topic's readers rely on, which decides how many partitions it may have. */
  public enum Ordering {
    /** Only events with the same key must stay in order: any number of partitions. */
    PER_KEY,
    /** Readers replay the topic and rely on the order across keys: exactly one partition. */
    WHOLE_TOPIC
  }

  private final String topicName;
  private final Ordering ordering;

  Topic(String topicName, Ordering ordering) {
    this.topicName = topicName;
    this.ordering = ordering;
  }

  public String topicName() {
    return topicName;
  }

  /** Which order this topic's readers rely on. */
  public Ordering ordering() {
    return ordering;
  }

  /** Whether the topic may be split into several partitions without breaking its readers. */
  public boolean partitionable() {
    return ordering == Ordering.PER_KEY;
  }

  /** Where consumers put records they cannot decode or validate, with the reason in a header. */
  public String deadLetterTopicName() {
    return topicName + ".dlq";
  }
}
