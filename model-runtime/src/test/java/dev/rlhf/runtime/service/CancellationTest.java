package dev.rlhf.runtime.service;

import static dev.rlhf.runtime.RuntimeApi.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rlhf.runtime.RuntimeApi;
import dev.rlhf.runtime.TinyCheckpoints;
import dev.rlhf.testing.EmbeddedKafkaResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** What a streaming client that goes away triggers: the generation stops and frees its slot. */
@QuarkusTest
@QuarkusTestResource(EmbeddedKafkaResource.class)
@QuarkusTestResource(TinyCheckpoints.class)
class CancellationTest {

  @Inject CompletionService service;

  @Test
  void shouldStopACancelledGenerationBetweenStepsAndServeTheNextRequest() {
    RuntimeApi.awaitReady();
    AtomicReference<CompletionService.Started> started = new AtomicReference<>();
    AtomicInteger heard = new AtomicInteger();
    SamplingRequest sampling = new SamplingRequest(2, 1.0, 1.0, null, 50, List.of(), 3L);

    CompletionService.Started generation =
        service.startCompletion(
            null,
            "A long story",
            sampling,
            (row, token) -> {
              heard.incrementAndGet();
              while (started.get() == null) {
                Thread.onSpinWait();
              }
              started.get().result().cancel();
            });
    started.set(generation);

    assertThatThrownBy(() -> generation.result().await()).isInstanceOf(CancellationException.class);
    // The first step's two tokens, nothing after the cancel.
    assertThat(heard.get()).isEqualTo(2);
    assertThat(given().get("/q/metrics").asString())
        .containsPattern("rlhf_runtime_generations_cancelled_total[^ ]* [1-9]");
    // The lease and the generation thread are free again; the thread carries no interrupt over.
    Generation next =
        service.complete(null, "Next", new SamplingRequest(1, 0.0, 1.0, null, 5, List.of(), null));
    assertThat(next.completions()).hasSize(1);
    assertThat(next.completions().get(0).tokens()).isNotEmpty();
  }
}
