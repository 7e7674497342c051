package dev.rlhf.events;

/**
 * The topic catalogue: every Kafka topic the platform uses, and the one owner that writes it. Each
 * topic has a dead-letter twin where consumers put what they cannot read, with the reason.
 */
public enum Topic {
  /** Demonstrations written by contractors; written by labeling-service (outbox). */
  DEMONSTRATIONS("rlhf.labels.demonstrations"),
  /** Rankings of completions; written by labeling-service (outbox). */
  RANKINGS("rlhf.labels.rankings"),
  /** Requests for K completions of a prompt; written by labeling-service, read by the runtime. */
  COMPLETION_REQUESTS("rlhf.completions.requested"),
  /** Completions sampled by the runtime; read by labeling-service, which makes ranking tasks. */
  COMPLETIONS("rlhf.completions.generated"),
  /** Commands that start or cancel training runs; written by labeling-service. */
  TRAINING_COMMANDS("rlhf.training.commands"),
  /** Progress, failures and finished runs from the trainers. */
  TRAINING_PROGRESS("rlhf.training.progress"),
  /** Published and promoted policy and reward versions. */
  MODEL_VERSIONS("rlhf.models.versions"),
  /** Misbehavior reports streamed in from production systems. */
  MISBEHAVIOR_REPORTS("rlhf.reports.misbehavior"),
  /** Heartbeats of the worker processes (trainers and runtime). */
  WORKERS("rlhf.platform.workers"),
  /** Keys an admin issued to clients of the model runtime, as digests, and their revocation. */
  RUNTIME_KEYS("rlhf.runtime.keys");

  private final String topicName;

  Topic(String topicName) {
    this.topicName = topicName;
  }

  public String topicName() {
    return topicName;
  }

  /** Where consumers put records they cannot decode or validate, with the reason in a header. */
  public String deadLetterTopicName() {
    return topicName + ".dlq";
  }
}
