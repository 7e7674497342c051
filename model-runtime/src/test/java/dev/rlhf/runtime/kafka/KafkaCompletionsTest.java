package dev.rlhf.runtime.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rlhf.events.EventCodec;
import dev.rlhf.events.Topic;
import dev.rlhf.events.contract.ChatTurn;
import dev.rlhf.events.contract.CompletionsGenerated;
import dev.rlhf.events.contract.CompletionsRequested;
import dev.rlhf.events.contract.SamplingSettings;
import dev.rlhf.events.kafka.EventConsumerLoop;
import dev.rlhf.events.kafka.EventPublisher;
import dev.rlhf.runtime.RuntimeApi;
import dev.rlhf.runtime.TinyCheckpoints;
import dev.rlhf.testing.EmbeddedKafkaResource;
import dev.rlhf.testing.TopicReader;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(EmbeddedKafkaResource.class)
@QuarkusTestResource(TinyCheckpoints.class)
class KafkaCompletionsTest {

  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final SamplingSettings SHORT =
      new SamplingSettings(1.0, 1.0, 0, 6, List.of(), null);
  private static EventPublisher publisher;

  @BeforeAll
  static void connect() {
    publisher = new EventPublisher(EmbeddedKafkaResource.broker().bootstrapServers(), "test");
  }

  @AfterAll
  static void disconnect() {
    publisher.close();
  }

  @BeforeEach
  void ready() {
    RuntimeApi.awaitReady();
  }

  @Test
  void shouldAnswerARequestWithCompletionsCarryingItsIdVersionAndSampling() {
    SamplingSettings sampling = new SamplingSettings(0.8, 0.9, 0, 10, List.of(), 11L);
    CompletionsRequested request = request(3, null, sampling);

    publisher.publishAndWait(request);

    CompletionsGenerated answer = answersTo(request.requestId(), 1).get(0);
    assertThat(answer.completions()).hasSize(3);
    assertThat(answer.completions())
        .allSatisfy(c -> assertThat(c.tokens()).isBetween(1, 10))
        .allSatisfy(c -> assertThat(c.finishReason()).isIn("stop", "length"));
    assertThat(answer.policyVersion()).isEqualTo(RuntimeApi.defaultVersion());
    assertThat(answer.sampling()).isEqualTo(sampling);
    assertThat(answer.promptId()).isEqualTo(request.promptId());
    assertThat(answer.purpose()).isEqualTo("ranking");
  }

  @Test
  void shouldAnswerARequestForMoreTokensThanTheContextHoldsWithinTheContext() {
    // The requester chose maxTokens without knowing the version (the closed loop's defaults).
    int tooMany = TinyCheckpoints.CONTEXT * 4;
    CompletionsRequested request =
        request(2, null, new SamplingSettings(1.0, 1.0, 0, tooMany, List.of(), 5L));

    publisher.publishAndWait(request);

    CompletionsGenerated answer = answersTo(request.requestId(), 1).get(0);
    assertThat(answer.completions())
        .hasSize(2)
        .allSatisfy(c -> assertThat(c.tokens()).isBetween(1, TinyCheckpoints.CONTEXT));
  }

  @Test
  void shouldAnswerARequestDeliveredTwiceOnlyOnce() {
    CompletionsRequested request = request(2, null, SHORT);
    CompletionsRequested later = request(1, null, SHORT);

    publisher.publishAndWait(request);
    publisher.publishAndWait(request);
    publisher.publishAndWait(later);

    // One partition, read in order: once the later request is answered, both copies were handled.
    List<ConsumerRecord<String, byte[]>> output =
        TopicReader.readUntil(
            EmbeddedKafkaResource.broker(),
            Topic.COMPLETIONS.topicName(),
            records -> !answers(records, later.requestId()).isEmpty(),
            WAIT);
    assertThat(answers(output, request.requestId())).hasSize(1);
  }

  @Test
  void shouldDeadLetterAMalformedRequestWithTheReason() {
    String key = UUID.randomUUID().toString();
    String json = EventCodec.toJson(request(1, null, SHORT)).replace("\"n\":1", "\"n\":0");
    sendRaw(key, json.getBytes(StandardCharsets.UTF_8));

    ConsumerRecord<String, byte[]> dead = deadLetter(key);
    assertThat(reason(dead)).contains("n must be in 1..16");
  }

  @Test
  void shouldDeadLetterARequestForAnUnknownVersionWithTheReason() {
    CompletionsRequested request = request(1, "no-such-version", SHORT);

    publisher.publishAndWait(request);

    ConsumerRecord<String, byte[]> dead = deadLetter(request.key());
    assertThat(reason(dead)).contains("no-such-version");
    assertThat(EventCodec.decode(dead.value())).isEqualTo(request);
  }

  private static CompletionsRequested request(int n, String version, SamplingSettings sampling) {
    return new CompletionsRequested(
        UUID.randomUUID(),
        Instant.now(),
        UUID.randomUUID(),
        UUID.randomUUID(),
        List.of(new ChatTurn(ChatTurn.Role.USER, "What is 2 + 3?")),
        version,
        n,
        sampling,
        "ranking");
  }

  /** Every answer to {@code requestId}, once at least {@code expected} have arrived. */
  private static List<CompletionsGenerated> answersTo(UUID requestId, int expected) {
    return TopicReader.readUntil(
            EmbeddedKafkaResource.broker(),
            Topic.COMPLETIONS.topicName(),
            records -> answers(records, requestId).size() >= expected,
            WAIT)
        .stream()
        .map(r -> (CompletionsGenerated) EventCodec.decode(r.value()))
        .filter(g -> g.requestId().equals(requestId))
        .toList();
  }

  private static List<ConsumerRecord<String, byte[]>> answers(
      List<ConsumerRecord<String, byte[]>> records, UUID requestId) {
    return records.stream().filter(r -> requestId.toString().equals(r.key())).toList();
  }

  private static ConsumerRecord<String, byte[]> deadLetter(String key) {
    return TopicReader.readUntil(
            EmbeddedKafkaResource.broker(),
            Topic.COMPLETION_REQUESTS.deadLetterTopicName(),
            records -> records.stream().anyMatch(r -> key.equals(r.key())),
            WAIT)
        .stream()
        .filter(r -> key.equals(r.key()))
        .findFirst()
        .orElseThrow();
  }

  private static String reason(ConsumerRecord<String, byte[]> record) {
    Header header = record.headers().lastHeader(EventConsumerLoop.REASON_HEADER);
    assertThat(header).as("dead-letter reason header").isNotNull();
    return new String(header.value(), StandardCharsets.UTF_8);
  }

  private static void sendRaw(String key, byte[] value) {
    Properties p = new Properties();
    p.put(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, EmbeddedKafkaResource.broker().bootstrapServers());
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(Topic.COMPLETION_REQUESTS.topicName(), key, value)).get();
    } catch (Exception e) {
      throw new AssertionError("could not send a raw record", e);
    }
  }
}
