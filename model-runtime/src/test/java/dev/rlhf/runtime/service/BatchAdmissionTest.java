package dev.rlhf.runtime.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.engine.Engine;
import dev.rlhf.lm.LanguageModel;
import dev.rlhf.lm.nn.GptConfig;
import dev.rlhf.lm.sample.Completion;
import dev.rlhf.lm.sample.SamplingParams;
import dev.rlhf.lm.sample.TokenListener;
import dev.rlhf.lm.tokenizer.ByteTokenizer;
import dev.rlhf.runtime.TinyCheckpoints;
import dev.rlhf.runtime.service.GenerationQueue.Source;
import dev.rlhf.testing.EmbeddedKafkaResource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * How the decoding loop admits waiting work: fairly between the sources, within its rows. A queue
 * of its own on a tiny network; a Quarkus test only because DJL's native library can be loaded by
 * one class loader, which the other tests' application holds.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedKafkaResource.class)
@QuarkusTestResource(TinyCheckpoints.class)
class BatchAdmissionTest {

  private static LanguageModel network;

  @BeforeAll
  static void load() {
    Engine.getInstance().setRandomSeed(4);
    network = LanguageModel.create(GptConfig.tiny(), new ByteTokenizer(), Device.cpu());
  }

  @AfterAll
  static void close() {
    network.close();
  }

  private static GenerationQueue.Task task(String prompt, int n, int tokens, TokenListener heard) {
    return new GenerationQueue.Task(
        network,
        network.tokenizer().encodeOrdinary(prompt),
        n,
        SamplingParams.seeded(tokens, 1),
        heard);
  }

  private static GenerationQueue.Job<List<Completion>> submit(
      GenerationQueue queue, Source source, GenerationQueue.Task task) {
    return queue.submit(source, task, (completions, nanos) -> completions, () -> {});
  }

  @Test
  void shouldAlternateBetweenHttpAndKafkaRequestsWhenBothWait() throws Exception {
    GenerationQueue queue = new GenerationQueue(1, 8, 8, new SimpleMeterRegistry());
    try {
      CountDownLatch release = new CountDownLatch(1);
      // The first HTTP request holds the loop at its first token while the others queue up.
      GenerationQueue.Job<List<Completion>> blocker =
          submit(queue, Source.HTTP, task("hold", 1, 2, (row, t) -> await(release)));
      List<String> started = Collections.synchronizedList(new ArrayList<>());
      List<GenerationQueue.Job<List<Completion>>> jobs = new ArrayList<>();
      for (String name : List.of("h1", "h2", "h3")) {
        jobs.add(submit(queue, Source.HTTP, task(name, 1, 3, firstToken(name, started))));
      }
      for (String name : List.of("k1", "k2")) {
        jobs.add(submit(queue, Source.KAFKA, task(name, 1, 3, firstToken(name, started))));
      }
      release.countDown();
      blocker.await();
      jobs.forEach(GenerationQueue.Job::await);

      // One request at a time (a batch of one row): the HTTP blocker, then Kafka and HTTP in turn.
      assertThat(started).containsExactly("k1", "h1", "k2", "h2", "h3");
    } finally {
      queue.stop();
    }
  }

  @Test
  void shouldDecodeConcurrentRequestsInOneBatchAndRefuseBeyondTheQueue() {
    GenerationQueue queue = new GenerationQueue(8, 1, 1, new SimpleMeterRegistry());
    try {
      CountDownLatch release = new CountDownLatch(1);
      AtomicInteger interleaved = new AtomicInteger();
      AtomicInteger lastRequest = new AtomicInteger(-1);
      List<GenerationQueue.Job<List<Completion>>> jobs = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        int id = i;
        jobs.add(
            submit(
                queue,
                Source.HTTP,
                task(
                    "request " + i,
                    4,
                    20,
                    (row, t) -> {
                      await(release);
                      if (lastRequest.getAndSet(id) != id) interleaved.incrementAndGet();
                    })));
      }
      // Eight rows are in the batch or about to join it; one more request may wait, not two.
      jobs.add(submit(queue, Source.HTTP, task("third", 4, 5, TokenListener.NONE)));
      assertThatThrownBy(() -> submit(queue, Source.HTTP, task("fourth", 4, 5, TokenListener.NONE)))
          .isInstanceOf(OverloadedException.class);
      // The Kafka side has its own queue.
      jobs.add(submit(queue, Source.KAFKA, task("kafka", 1, 5, TokenListener.NONE)));
      release.countDown();
      jobs.forEach(GenerationQueue.Job::await);

      // The two requests took turns token by token: they were decoded in the same steps.
      assertThat(interleaved.get()).isGreaterThan(10);
      assertThat(jobs.get(0).await())
          .hasSize(4)
          .allSatisfy(c -> assertThat(c.tokens()).isNotEmpty());
    } finally {
      queue.stop();
    }
  }

  private static TokenListener firstToken(String name, List<String> started) {
    AtomicInteger count = new AtomicInteger();
    return (row, t) -> {
      if (count.getAndIncrement() == 0) started.add(name);
    };
  }

  private static void await(CountDownLatch latch) {
    try {
      assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
