package dev.rlhf.runtime.rest;

import static dev.rlhf.runtime.RuntimeApi.given;
import static dev.rlhf.runtime.RuntimeApi.post;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rlhf.runtime.RuntimeApi;
import dev.rlhf.runtime.TinyCheckpoints;
import dev.rlhf.testing.EmbeddedKafkaResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(EmbeddedKafkaResource.class)
@QuarkusTestResource(TinyCheckpoints.class)
class OverloadTest {

  /**
   * The test profile decodes eight rows at once with one request waiting beyond them
   * (application.properties): two requests of n=4 fill the batch, a third waits, the rest get 429.
   */
  @Test
  void shouldRefuseRequestsBeyondTheQueueWithTooManyRequests() {
    RuntimeApi.awaitReady();
    CountDownLatch start = new CountDownLatch(1);
    // Own threads: the common pool may run fewer than six clients at once on a small machine.
    ExecutorService clients = Executors.newFixedThreadPool(6);
    List<CompletableFuture<Response>> calls =
        IntStream.range(0, 6)
            .mapToObj(
                i ->
                    CompletableFuture.supplyAsync(
                        () -> {
                          await(start);
                          return post(
                              "/v1/completions",
                              Map.of("prompt", "Busy", "n", 4, "max_tokens", 40));
                        },
                        clients))
            .toList();
    start.countDown();
    List<Response> answers = calls.stream().map(CompletableFuture::join).toList();
    clients.shutdown();

    List<Integer> statuses = answers.stream().map(Response::statusCode).toList();
    assertThat(statuses).containsOnly(200, 429).contains(200, 429);
    Response refused = answers.stream().filter(r -> r.statusCode() == 429).findFirst().get();
    assertThat(refused.contentType()).startsWith("application/problem+json");
    assertThat(refused.header("Retry-After")).isEqualTo("1");
    assertThat(given().get("/q/metrics").asString())
        .containsPattern("rlhf_runtime_requests_total\\{[^}]*status=\"429\"");
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
