package dev.rlhf.labeling.cycles;

import dev.rlhf.events.EventCodec;
import dev.rlhf.events.Topic;
import dev.rlhf.events.contract.CompletionsGenerated;
import dev.rlhf.events.contract.CompletionsRequested;
import dev.rlhf.events.contract.ModelVersionPublished;
import dev.rlhf.events.contract.PlatformEvent;
import dev.rlhf.events.contract.PolicyEvaluation;
import dev.rlhf.events.contract.TrainingProgressReported;
import dev.rlhf.events.contract.TrainingRunFailed;
import dev.rlhf.events.contract.TrainingRunRequested;
import dev.rlhf.events.contract.TrainingStage;
import dev.rlhf.events.kafka.EventPublisher;
import dev.rlhf.testing.EmbeddedKafkaResource;
import dev.rlhf.testing.TopicReader;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * Plays the other services' part over the real broker: reads the commands and requests
 * labeling-service published, and publishes what trainers and the runtime would answer.
 */
public final class TrainerDouble implements AutoCloseable {

  private final EventPublisher publisher =
      new EventPublisher(EmbeddedKafkaResource.broker().bootstrapServers(), "trainer-double");

  /** Every event on a topic matching the filter, once there are at least {@code count}. */
  public static <T extends PlatformEvent> List<T> await(
      Topic topic, Class<T> type, Predicate<T> filter, int count) {
    var records =
        TopicReader.readUntil(
            EmbeddedKafkaResource.broker(),
            topic.topicName(),
            seen -> matching(seen, type, filter).size() >= count,
            Duration.ofSeconds(30));
    return matching(records, type, filter);
  }

  private static <T extends PlatformEvent> List<T> matching(
      List<org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]>> records,
      Class<T> type,
      Predicate<T> filter) {
    return records.stream()
        .map(r -> EventCodec.decode(r.value()))
        .filter(type::isInstance)
        .map(type::cast)
        .filter(filter)
        .toList();
  }

  /** The command of a cycle's stage, as a trainer receives it. */
  public static TrainingRunRequested command(String cycleId, TrainingStage stage) {
    UUID cycle = UUID.fromString(cycleId);
    return await(
            Topic.TRAINING_COMMANDS,
            TrainingRunRequested.class,
            c -> cycle.equals(c.cycleId()) && c.stage() == stage,
            1)
        .get(0);
  }

  public void progress(
      TrainingRunRequested run, long step, long total, Map<String, Double> metrics, String sample) {
    publisher.publishAndWait(
        new TrainingProgressReported(
            UUID.randomUUID(),
            Instant.now(),
            run.runId(),
            run.cycleId(),
            run.stage(),
            step,
            total,
            metrics,
            List.of(sample)));
  }

  public void fail(TrainingRunRequested run, String reason) {
    publisher.publishAndWait(
        new TrainingRunFailed(
            UUID.randomUUID(), Instant.now(), run.runId(), run.cycleId(), run.stage(), reason));
  }

  /** Publishes the version a run produced, trained on exactly the run's snapshot. */
  public void publish(TrainingRunRequested run, String version) {
    ModelVersionPublished.Kind kind =
        run.stage() == TrainingStage.REWARD
            ? ModelVersionPublished.Kind.REWARD
            : ModelVersionPublished.Kind.POLICY;
    publish(
        version,
        kind,
        run.baseVersion(),
        run.cycleId(),
        run.runId(),
        run.stage(),
        run.labelEventIds());
  }

  /**
   * Publishes a version as a trainer would: a reward model with a held-out accuracy above the gate,
   * a policy with an evaluation that passed.
   */
  public void publish(
      String version,
      ModelVersionPublished.Kind kind,
      String parent,
      UUID cycleId,
      UUID runId,
      TrainingStage stage,
      List<UUID> labelEventIds) {
    boolean reward = kind == ModelVersionPublished.Kind.REWARD;
    publish(
        version,
        kind,
        parent,
        cycleId,
        runId,
        stage,
        labelEventIds,
        reward ? Map.of("loss", 0.5, "heldout_accuracy", 0.9) : Map.of("loss", 0.5),
        List.of(),
        reward ? null : evaluation(parent, true));
  }

  /** Publishes a version with the given metrics, warnings and evaluation. */
  public void publish(
      String version,
      ModelVersionPublished.Kind kind,
      String parent,
      UUID cycleId,
      UUID runId,
      TrainingStage stage,
      List<UUID> labelEventIds,
      Map<String, Double> metrics,
      List<String> warnings,
      PolicyEvaluation evaluation) {
    publisher.publishAndWait(
        new ModelVersionPublished(
            UUID.randomUUID(),
            Instant.now(),
            version,
            kind,
            parent,
            cycleId,
            runId,
            stage,
            "/checkpoints/" + version,
            metrics,
            labelEventIds,
            warnings,
            evaluation));
  }

  /** An evaluation against {@code parent} that passed or failed, with one sample. */
  public static PolicyEvaluation evaluation(String parent, boolean passed) {
    return new PolicyEvaluation(
        parent,
        "rm-judge",
        20,
        true,
        passed ? 12 : 3,
        5,
        passed ? 3 : 12,
        passed ? 0.4 : -0.2,
        0.1,
        2.5,
        18,
        20,
        passed,
        List.of(
            (passed ? "holds against" : "loses to")
                + " its parent under rm-judge: "
                + (passed ? "12 wins, 5 ties, 3 losses" : "3 wins, 5 ties, 12 losses")),
        List.of(new PolicyEvaluation.Sample("Add 2 and 3", "5", "6", 0.9, -0.3)));
  }

  /** Answers a completion request as the runtime would, one completion per text. */
  public void answer(CompletionsRequested request, String... texts) {
    publisher.publishAndWait(
        new CompletionsGenerated(
            UUID.randomUUID(),
            Instant.now(),
            request.requestId(),
            request.promptId(),
            request.policyVersion() == null ? "served" : request.policyVersion(),
            request.sampling(),
            java.util.Arrays.stream(texts)
                .map(t -> new CompletionsGenerated.GeneratedCompletion(t, 3, "stop"))
                .toList(),
            request.purpose()));
  }

  /**
   * Answers a completion request as the runtime would when it scored the completions with the
   * request's reward model: one completion per text, with its reward and check-model scores.
   */
  public void answerScored(
      CompletionsRequested request,
      List<Double> rewardScores,
      List<Double> checkRewardScores,
      String... texts) {
    publisher.publishAndWait(
        new CompletionsGenerated(
            UUID.randomUUID(),
            Instant.now(),
            request.requestId(),
            request.promptId(),
            request.policyVersion() == null ? "served" : request.policyVersion(),
            request.sampling(),
            java.util.Arrays.stream(texts)
                .map(t -> new CompletionsGenerated.GeneratedCompletion(t, 3, "stop"))
                .toList(),
            request.purpose(),
            request.rewardVersion(),
            rewardScores,
            checkRewardScores));
  }

  @Override
  public void close() {
    publisher.close();
  }
}
