package dev.rlhf.runtime.service;

import static dev.rlhf.runtime.RuntimeApi.post;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rlhf.events.EventCodec;
import dev.rlhf.events.Topic;
import dev.rlhf.events.contract.ChatTurn;
import dev.rlhf.events.contract.CompletionsGenerated;
import dev.rlhf.events.contract.CompletionsRequested;
import dev.rlhf.events.contract.SamplingSettings;
import dev.rlhf.events.kafka.EventPublisher;
import dev.rlhf.lm.sample.Completion;
import dev.rlhf.runtime.RuntimeApi;
import dev.rlhf.runtime.TinyCheckpoints;
import dev.rlhf.testing.EmbeddedKafkaResource;
import dev.rlhf.testing.TopicReader;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Continuous batching as callers see it: concurrent requests share decoding steps. */
@QuarkusTest
@QuarkusTestResource(EmbeddedKafkaResource.class)
@QuarkusTestResource(TinyCheckpoints.class)
class BatchedServingTest {

  @Inject CompletionService service;
  @Inject MeterRegistry meters;

  @BeforeEach
  void ready() {
    RuntimeApi.awaitReady();
  }

  @Test
  void shouldDecodeConcurrentHttpRequestsInTheSameSteps() throws Exception {
    DistributionSummary rows = meters.get("rlhf.runtime.batch.rows").summary();
    long stepsBefore = rows.count();
    double rowsBefore = rows.totalAmount();
    // A generation that holds the decoding thread at its first token, so that the three HTTP
    // requests are all waiting when it goes on, whatever the timing of this machine.
    CountDownLatch hold = new CountDownLatch(1);
    CompletionService.Started holder =
        service.startCompletion(
            null,
            "Hold on",
            greedy(100),
            (row, token) -> {
              try {
                hold.await(60, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });

    CompletableFuture<List<Response>> posting =
        CompletableFuture.supplyAsync(
            () ->
                concurrently(
                    3, i -> Map.of("prompt", "Story " + i, "n", 2, "max_tokens", 100, "seed", i)));
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (meters.get("rlhf.runtime.queue.depth").gauge().value() < 3) {
      assertThat(System.nanoTime()).as("three requests waiting").isLessThan(deadline);
      RuntimeApi.pause(5);
    }
    hold.countDown();
    List<Response> answers = posting.get(120, TimeUnit.SECONDS);
    holder.result().await();

    assertThat(answers).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(200));
    assertThat(answers).allSatisfy(r -> assertThat(r.jsonPath().getList("choices")).hasSize(2));
    // Each request is two rows: decoded one after another, no step would decode more than two.
    double meanRows = (rows.totalAmount() - rowsBefore) / (rows.count() - stepsBefore);
    assertThat(meanRows).isGreaterThan(3);
  }

  @Test
  void shouldFinishARequestThatJoinsMidDecodeAsItWouldAlone() {
    SamplingRequest first = greedy(60);
    SamplingRequest second = greedy(30);
    AtomicInteger firstTokens = new AtomicInteger();
    AtomicInteger firstTokensWhenSecondStarted = new AtomicInteger(-1);

    CompletionService.Started running =
        service.startCompletion(
            null,
            "Once upon a time",
            first,
            (row, token) -> {
              firstTokens.incrementAndGet();
              RuntimeApi.pause(5); // keeps the first request in the batch while the second joins
            });
    while (firstTokens.get() < 10) {
      RuntimeApi.pause(1);
    }
    CompletionService.Started joining =
        service.startCompletion(
            null,
            "The capital of France is",
            second,
            (row, token) -> firstTokensWhenSecondStarted.compareAndSet(-1, firstTokens.get()));
    Generation joined = joining.result().await();
    Generation longer = running.result().await();

    assertThat(firstTokensWhenSecondStarted.get()).isBetween(10, 59);
    assertThat(texts(joined))
        .isEqualTo(texts(service.complete(null, "The capital of France is", second)));
    assertThat(texts(longer)).isEqualTo(texts(service.complete(null, "Once upon a time", first)));
    assertThat(longer.completions().get(0).tokens()).hasSize(60);
  }

  @Test
  void shouldSampleASeededRequestTheSameAloneAndBatchedWithOthers() {
    Map<String, Object> seeded =
        Map.of("prompt", "12 + 7 =", "n", 3, "max_tokens", 40, "seed", 42, "temperature", 1.0);
    List<String> alone = choices(post("/v1/completions", seeded));

    List<Response> together =
        concurrently(
            4,
            i ->
                i == 2
                    ? seeded
                    : Map.of("prompt", "Other " + i, "n", 2, "max_tokens", 60, "seed", 100 + i));

    assertThat(choices(together.get(2))).isEqualTo(alone);
    // A random network samples three different texts: the equality is not that of constants.
    assertThat(alone.stream().distinct().count()).isGreaterThan(1);
  }

  @Test
  void shouldDecodeKafkaRequestsInTheSameBatchAsHttpRequests() {
    AtomicReference<CompletionService.Started> slow = new AtomicReference<>();
    // An HTTP-side generation kept running for seconds, a token every 50 ms.
    slow.set(
        service.startCompletion(
            null, "A very long story", greedy(120), (row, token) -> RuntimeApi.pause(50)));
    CompletionsRequested request =
        new CompletionsRequested(
            UUID.randomUUID(),
            Instant.now(),
            UUID.randomUUID(),
            UUID.randomUUID(),
            List.of(new ChatTurn(ChatTurn.Role.USER, "What is 2 + 3?")),
            null,
            2,
            new SamplingSettings(1.0, 1.0, 0, 6, List.of(), 3L),
            "ranking");
    try (EventPublisher publisher =
        new EventPublisher(EmbeddedKafkaResource.broker().bootstrapServers(), "batch-test")) {
      publisher.publishAndWait(request);
    }

    CompletionsGenerated answer =
        TopicReader.readUntil(
                EmbeddedKafkaResource.broker(),
                Topic.COMPLETIONS.topicName(),
                records ->
                    records.stream().anyMatch(r -> request.requestId().toString().equals(r.key())),
                Duration.ofSeconds(120))
            .stream()
            .filter(r -> request.requestId().toString().equals(r.key()))
            .map(r -> (CompletionsGenerated) EventCodec.decode(r.value()))
            .findFirst()
            .orElseThrow();

    // One decoding thread: the Kafka request was answered while the HTTP one was still decoding.
    assertThat(slow.get().result().isDone()).isFalse();
    assertThat(answer.completions()).isNotEmpty();
    slow.get().result().cancel();
  }

  private static SamplingRequest greedy(int maxTokens) {
    return new SamplingRequest(1, 0.0, 1.0, null, maxTokens, List.of(), null);
  }

  private static List<String> texts(Generation g) {
    return g.completions().stream().map(Completion::text).toList();
  }

  private static List<String> choices(Response r) {
    assertThat(r.statusCode()).isEqualTo(200);
    return r.jsonPath().getList("choices.text", String.class);
  }

  private interface Body {
    Map<String, ?> of(int i);
  }

  /** Posts {@code count} completion requests at once, each from its own thread. */
  private static List<Response> concurrently(int count, Body body) {
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService clients = Executors.newFixedThreadPool(count);
    try {
      List<CompletableFuture<Response>> calls =
          IntStream.range(0, count)
              .mapToObj(
                  i ->
                      CompletableFuture.supplyAsync(
                          () -> {
                            try {
                              start.await();
                            } catch (InterruptedException e) {
                              throw new AssertionError(e);
                            }
                            return post("/v1/completions", body.of(i));
                          },
                          clients))
              .toList();
      start.countDown();
      return calls.stream().map(CompletableFuture::join).toList();
    } finally {
      clients.shutdown();
    }
  }
}
