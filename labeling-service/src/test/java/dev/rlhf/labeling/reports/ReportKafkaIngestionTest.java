package dev.rlhf.labeling.reports;

import static dev.rlhf.labeling.reports.ReportsApi.reportsWithExternalId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rlhf.events.EventCodec;
import dev.rlhf.events.Topic;
import dev.rlhf.events.contract.ChatTurn;
import dev.rlhf.events.contract.MisbehaviorReported;
import dev.rlhf.events.kafka.EventConsumerLoop;
import dev.rlhf.events.kafka.EventPublisher;
import dev.rlhf.labeling.reports.service.ReportIntake;
import dev.rlhf.testing.EmbeddedKafkaResource;
import dev.rlhf.testing.EmbeddedPostgresResource;
import dev.rlhf.testing.TopicReader;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedKafkaResource.class)
class ReportKafkaIngestionTest {

  private static final String DLQ = Topic.MISBEHAVIOR_REPORTS.deadLetterTopicName();

  @Inject ReportIntake intake;

  @Test
  void shouldStoreAReportFromTheTopicOnceHoweverOftenItsEventIsDelivered() {
    String reviewer = ReportsApi.user("reviewer");
    MisbehaviorReported event = event("kafka-" + UUID.randomUUID(), turns(2), 3);
    MisbehaviorReported marker = event("marker-" + UUID.randomUUID(), turns(2), 1);
    try (EventPublisher publisher = publisher()) {
      publisher.publishAndWait(event);
      publisher.publishAndWait(event);
      publisher.publishAndWait(marker);
    }

    // The topic has one partition: once the marker is stored, both deliveries were handled.
    awaitStored(reviewer, marker.externalId());
    Map<String, Object> stored = reportsWithExternalId(reviewer, event.externalId()).get(0);
    assertThat(stored)
        .containsEntry("source", "production-kafka")
        .containsEntry("reportCount", 1)
        .containsEntry("category", "HARMFUL");
  }

  @Test
  void shouldStoreABatchOnceWithTheRepeatsAndRedeliveriesInsideItMerged() {
    String reviewer = ReportsApi.user("reviewer");
    String run = UUID.randomUUID().toString();
    MisbehaviorReported first = event(run + "-a", turns(2), 2);
    MisbehaviorReported repeat = event(run + "-a", turns(2), 3);
    MisbehaviorReported other = event(run + "-b", turns(2), 1);
    List<MisbehaviorReported> batch = List.of(first, first, repeat, other, repeat);

    intake.ingestChecked(batch);
    intake.ingestChecked(batch);

    assertThat(reportsWithExternalId(reviewer, run + "-a"))
        .singleElement()
        .satisfies(r -> assertThat(r).containsEntry("reportCount", 2).containsEntry("severity", 3));
    assertThat(reportsWithExternalId(reviewer, run + "-b"))
        .singleElement()
        .satisfies(r -> assertThat(r).containsEntry("reportCount", 1));
  }

  @Test
  void shouldMergeRepeatsWithinABurstAndChangeNothingWhenTheBurstIsDeliveredAgain() {
    String reviewer = ReportsApi.user("reviewer");
    String run = UUID.randomUUID().toString();
    List<MisbehaviorReported> burst = new ArrayList<>();
    for (int i = 0; i < 20; i++) burst.add(event(run + "-" + i, turns(2), 2));
    MisbehaviorReported first = event(run + "-same-id", turns(2), 2);
    MisbehaviorReported sameId = event(run + "-same-id", turns(2), 4);
    List<ChatTurn> copied = turns(2);
    MisbehaviorReported original = event(run + "-original", copied, 1);
    MisbehaviorReported copy =
        new MisbehaviorReported(
            UUID.randomUUID(),
            Instant.now(),
            "another-monitor",
            run + "-copy",
            copied,
            "policy-v5",
            MisbehaviorReported.Category.HARMFUL,
            5,
            "seen there too");
    burst.addAll(List.of(first, burst.get(3), sameId, original, copy, burst.get(3)));
    MisbehaviorReported marker = event(run + "-marker", turns(2), 1);
    MisbehaviorReported secondMarker = event(run + "-second-marker", turns(2), 1);

    publishAll(burst, marker);
    awaitStored(reviewer, marker.externalId());
    assertBurstStored(reviewer, run);
    publishAll(burst, secondMarker);
    awaitStored(reviewer, secondMarker.externalId());
    assertBurstStored(reviewer, run);
  }

  private static void assertBurstStored(String reviewer, String run) {
    for (int i = 0; i < 20; i++) {
      assertThat(reportsWithExternalId(reviewer, run + "-" + i))
          .singleElement()
          .satisfies(r -> assertThat(r).containsEntry("reportCount", 1));
    }
    assertThat(reportsWithExternalId(reviewer, run + "-same-id"))
        .singleElement()
        .satisfies(r -> assertThat(r).containsEntry("reportCount", 2).containsEntry("severity", 4));
    assertThat(reportsWithExternalId(reviewer, run + "-original"))
        .singleElement()
        .satisfies(r -> assertThat(r).containsEntry("reportCount", 2).containsEntry("severity", 5));
    assertThat(reportsWithExternalId(reviewer, run + "-copy")).isEmpty();
  }

  @Test
  void shouldDeadLetterMalformedReportsWithTheReasonAndKeepConsuming() throws Exception {
    String reviewer = ReportsApi.user("reviewer");
    String badSeverityKey = "bad-severity-" + UUID.randomUUID();
    String json =
        EventCodec.toJson(event("x", turns(2), 3)).replace("\"severity\":3", "\"severity\":7");
    MisbehaviorReported tooLong = event("too-long-" + UUID.randomUUID(), turns(51), 3);
    List<ChatTurn> nulTurns = new ArrayList<>(turns(2));
    nulTurns.set(1, new ChatTurn(ChatTurn.Role.ASSISTANT, "a NUL \u0000 PostgreSQL cannot store"));
    MisbehaviorReported nul = event("nul-" + UUID.randomUUID(), nulTurns, 3);
    MisbehaviorReported after = event("after-" + UUID.randomUUID(), turns(2), 2);
    try (KafkaProducer<String, byte[]> raw = rawProducer();
        EventPublisher publisher = publisher()) {
      raw.send(
              new ProducerRecord<>(
                  Topic.MISBEHAVIOR_REPORTS.topicName(),
                  badSeverityKey,
                  json.getBytes(StandardCharsets.UTF_8)))
          .get();
      publisher.publishAndWait(tooLong);
      publisher.publishAndWait(nul);
      publisher.publishAndWait(after);
    }

    List<ConsumerRecord<String, byte[]>> letters =
        TopicReader.readUntil(
            EmbeddedKafkaResource.broker(),
            DLQ,
            seen ->
                reason(seen, badSeverityKey) != null
                    && reason(seen, tooLong.key()) != null
                    && reason(seen, nul.key()) != null,
            Duration.ofSeconds(60));
    assertThat(reason(letters, badSeverityKey)).contains("severity");
    assertThat(reason(letters, tooLong.key())).startsWith("conversation").contains("51 turns");
    assertThat(reason(letters, nul.key())).startsWith("conversation[1]").contains("NUL");
    awaitStored(reviewer, after.externalId());
    assertThat(reportsWithExternalId(reviewer, tooLong.externalId())).isEmpty();
    assertThat(reportsWithExternalId(reviewer, nul.externalId())).isEmpty();
  }

  private static String reason(List<ConsumerRecord<String, byte[]>> records, String key) {
    for (ConsumerRecord<String, byte[]> r : records) {
      if (key.equals(r.key())) {
        var header = r.headers().lastHeader(EventConsumerLoop.REASON_HEADER);
        return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  private static void publishAll(List<MisbehaviorReported> events, MisbehaviorReported last) {
    try (EventPublisher publisher = publisher()) {
      events.forEach(publisher::publish);
      publisher.publishAndWait(last);
    }
  }

  private static void awaitStored(String reviewer, String externalId) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> reportsWithExternalId(reviewer, externalId).size() == 1);
  }

  private static MisbehaviorReported event(String externalId, List<ChatTurn> turns, int severity) {
    return new MisbehaviorReported(
        UUID.randomUUID(),
        Instant.now(),
        "production-kafka",
        externalId,
        turns,
        "policy-v5",
        MisbehaviorReported.Category.HARMFUL,
        severity,
        "flagged by the safety monitor");
  }

  private static List<ChatTurn> turns(int n) {
    List<ChatTurn> turns = new ArrayList<>();
    String nonce = UUID.randomUUID().toString();
    for (int i = 0; i < n; i++) {
      ChatTurn.Role role = i % 2 == 0 ? ChatTurn.Role.USER : ChatTurn.Role.ASSISTANT;
      turns.add(new ChatTurn(role, "turn " + i + " " + nonce));
    }
    return turns;
  }

  private static EventPublisher publisher() {
    return new EventPublisher(EmbeddedKafkaResource.broker().bootstrapServers(), "report-test");
  }

  private static KafkaProducer<String, byte[]> rawProducer() {
    Properties p = new Properties();
    p.put(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, EmbeddedKafkaResource.broker().bootstrapServers());
    return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
  }
}
