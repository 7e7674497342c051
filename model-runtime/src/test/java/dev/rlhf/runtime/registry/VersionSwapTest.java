package dev.rlhf.runtime.registry;

import static dev.rlhf.runtime.RuntimeApi.given;
import static dev.rlhf.runtime.RuntimeApi.post;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rlhf.events.contract.ModelVersionPublished;
import dev.rlhf.events.contract.PolicyVersionPromoted;
import dev.rlhf.events.contract.TrainingStage;
import dev.rlhf.events.kafka.EventPublisher;
import dev.rlhf.lm.checkpoint.Checkpoints;
import dev.rlhf.lm.sample.Generator;
import dev.rlhf.lm.sample.SamplingParams;
import dev.rlhf.runtime.RuntimeApi;
import dev.rlhf.runtime.TinyCheckpoints;
import dev.rlhf.runtime.service.GenerationQueue;
import dev.rlhf.testing.EmbeddedKafkaResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(EmbeddedKafkaResource.class)
@QuarkusTestResource(TinyCheckpoints.class)
class VersionSwapTest {

  @Inject VersionRegistry registry;

  @Inject GenerationQueue queue;

  @ConfigProperty(name = "rlhf.checkpoints.directory")
  String checkpoints;

  private EventPublisher publisher;

  @BeforeEach
  void connect() {
    RuntimeApi.awaitReady();
    publisher = new EventPublisher(EmbeddedKafkaResource.broker().bootstrapServers(), "test");
  }

  @AfterEach
  void restoreTheBaseAsDefault() {
    promote(TinyCheckpoints.BASE);
    awaitDefault(TinyCheckpoints.BASE);
    publisher.close();
  }

  @Test
  void shouldServeAPromotedVersionByDefaultAndEarlierOnesByName() {
    publish(TinyCheckpoints.V2);
    promote(TinyCheckpoints.V2);

    awaitDefault(TinyCheckpoints.V2);
    assertThat(given().get("/v1/models").jsonPath().getList("data.id", String.class))
        .contains(TinyCheckpoints.BASE, TinyCheckpoints.V2);
    assertThat(modelThatAnswers(Map.of("prompt", "Hi", "max_tokens", 2)))
        .isEqualTo(TinyCheckpoints.V2);
    assertThat(modelThatAnswers(Map.of("prompt", "Hi", "max_tokens", 2, "model", "default")))
        .isEqualTo(TinyCheckpoints.V2);
    assertThat(
            modelThatAnswers(
                Map.of("prompt", "Hi", "max_tokens", 2, "model", TinyCheckpoints.BASE)))
        .isEqualTo(TinyCheckpoints.BASE);
  }

  @Test
  void shouldFinishARequestInFlightWhileTheDefaultIsSwapped() {
    CompletableFuture<Response> inFlight =
        CompletableFuture.supplyAsync(
            () ->
                post(
                    "/v1/completions",
                    Map.of("prompt", "Long", "n", 8, "max_tokens", 80, "temperature", 1.0)));
    awaitAGenerationInFlight();
    publish(TinyCheckpoints.V3);
    promote(TinyCheckpoints.V3);

    Response answer = inFlight.join();
    awaitDefault(TinyCheckpoints.V3);
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.jsonPath().getString("model")).isEqualTo(TinyCheckpoints.BASE);
    assertThat(answer.jsonPath().getList("choices")).hasSize(8);
  }

  @Test
  void shouldCloseAReplacedNetworkOnlyAfterItsLastLeaseIsReleased() {
    registry.announce("swap-probe", checkpoint(TinyCheckpoints.V2));
    Lease lease = registry.lease("swap-probe");

    registry.announce("swap-probe", checkpoint(TinyCheckpoints.V3));

    assertThat(lease.version().isClosed()).isFalse();
    assertThat(
            new Generator(lease.network()).sample(new int[] {1, 2, 3}, 2, SamplingParams.greedy(4)))
        .hasSize(2);
    lease.close();
    assertThat(lease.version().isClosed()).isTrue();
    try (Lease fresh = registry.lease("swap-probe")) {
      assertThat(fresh.version().isClosed()).isFalse();
      assertThat(fresh.version().checkpoint()).isEqualTo(checkpoint(TinyCheckpoints.V3));
    }
  }

  private void awaitAGenerationInFlight() {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (queue.active() == 0) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the long generation never started");
      }
      RuntimeApi.pause(2);
    }
  }

  @Test
  void shouldLoadAVersionOnlyFromItsNameUnderTheRootWhateverPathTheEventNames() throws Exception {
    // A real checkpoint outside the checkpoints root, which an event points at.
    Path outside = Files.createTempDirectory("outside-the-root").resolve("tiny-elsewhere");
    Files.createDirectories(outside);
    for (String file : List.of(Checkpoints.METADATA_FILE, Checkpoints.WEIGHTS_FILE)) {
      Files.copy(checkpoint(TinyCheckpoints.V3).resolve(file), outside.resolve(file));
    }
    publisher.publishAndWait(
        new ModelVersionPublished(
            UUID.randomUUID(),
            Instant.now(),
            "tiny-elsewhere",
            ModelVersionPublished.Kind.POLICY,
            TinyCheckpoints.BASE,
            UUID.randomUUID(),
            UUID.randomUUID(),
            TrainingStage.SFT,
            outside.toString(),
            Map.of("loss", 1.0),
            List.of(),
            List.of(),
            null));
    // Published after it on the same partition: once it is known, the other was handled.
    publish(TinyCheckpoints.V3);
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!given().get("/v1/models").jsonPath().getList("data.id").contains(TinyCheckpoints.V3)) {
      if (System.nanoTime() > deadline) throw new AssertionError(TinyCheckpoints.V3 + " not known");
      RuntimeApi.pause(100);
    }

    assertThat(given().get("/v1/models").jsonPath().getList("data.id"))
        .doesNotContain("tiny-elsewhere");
    post("/v1/completions", Map.of("prompt", "Hi", "max_tokens", 2, "model", "tiny-elsewhere"))
        .then()
        .statusCode(404);
  }

  private String modelThatAnswers(Map<String, Object> request) {
    return post("/v1/completions", request).then().statusCode(200).extract().path("model");
  }

  private Path checkpoint(String name) {
    return Path.of(checkpoints).resolve(name);
  }

  private void publish(String version) {
    publisher.publishAndWait(
        new ModelVersionPublished(
            UUID.randomUUID(),
            Instant.now(),
            version,
            ModelVersionPublished.Kind.POLICY,
            TinyCheckpoints.BASE,
            UUID.randomUUID(),
            UUID.randomUUID(),
            TrainingStage.SFT,
            checkpoint(version).toString(),
            Map.of("loss", 1.0),
            List.of(),
            List.of(),
            null));
  }

  private void promote(String version) {
    publisher.publishAndWait(
        new PolicyVersionPromoted(
            UUID.randomUUID(), Instant.now(), version, checkpoint(version).toString(), "test"));
  }

  private static void awaitDefault(String version) {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!version.equals(RuntimeApi.defaultVersion())) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("default did not become " + version);
      }
      RuntimeApi.pause(100);
    }
  }
}
