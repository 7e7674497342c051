package dev.rlhf.labeling.cycles;

import static dev.rlhf.labeling.actors.Researcher.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rlhf.events.Topic;
import dev.rlhf.events.contract.ModelVersionPublished.Kind;
import dev.rlhf.events.contract.TrainingRunRequested;
import dev.rlhf.events.contract.TrainingSnapshotPart;
import dev.rlhf.events.contract.TrainingStage;
import dev.rlhf.labeling.actors.Researcher;
import dev.rlhf.labeling.bench.ScaleSeed;
import dev.rlhf.testing.EmbeddedKafkaResource;
import dev.rlhf.testing.EmbeddedPostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A cycle whose snapshot is too large for one Kafka record (the default limit, 1 MB, holds about
 * 25,000 label ids; a part holds 10,000): its command reaches the trainers with the snapshot in
 * parts, every label of the snapshot in exactly one of them, and the version a trainer publishes
 * without listing its labels gets its lineage from the cycle's snapshot.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedKafkaResource.class)
class LargeSnapshotTest {

  @Inject AgroalDataSource dataSource;

  @Test
  void shouldSendASnapshotOfTenThousandRankingsInPartsAndKeepTheVersionsLineage() throws Exception {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    ScaleSeed.Made made;
    try (Connection connection = dataSource.getConnection()) {
      ScaleSeed seed = new ScaleSeed(connection);
      // 5,300 tasks: 10,070 rankings and 530 demonstrations.
      made = seed.project("large-" + suffix, 5_300, seed.contractors("large-" + suffix, 5));
    }
    assertThat(made.rankings()).isGreaterThan(TrainingSnapshotPart.MAX_IDS);
    String researcher = Researcher.account("researcher");
    String cycle =
        as(researcher)
            .body(
                Map.of(
                    "projectId",
                    made.projectId().toString(),
                    "stages",
                    List.of("REWARD"),
                    "baseVersion",
                    "base-1"))
            .post("/api/cycles")
            .then()
            .statusCode(201)
            .extract()
            .path("id");

    try (TrainerDouble trainer = new TrainerDouble()) {
      TrainingRunRequested sent = TrainerDouble.command(cycle, TrainingStage.REWARD);
      assertThat(sent.snapshotParts()).isEqualTo(2);
      assertThat(sent.labelEventIds()).isEmpty();
      List<TrainingSnapshotPart> parts =
          TrainerDouble.await(
              Topic.TRAINING_COMMANDS,
              TrainingSnapshotPart.class,
              p -> p.runId().equals(sent.runId()),
              2);
      TrainingRunRequested command = TrainingSnapshotPart.assemble(sent, parts).orElseThrow();
      assertThat(command.labelEventIds()).hasSize((int) made.rankings());
      assertThat(new HashSet<>(command.labelEventIds())).hasSize((int) made.rankings());

      String version = "rm-large-" + suffix;
      trainer.publish(
          version,
          Kind.REWARD,
          "base-1",
          command.cycleId(),
          command.runId(),
          TrainingStage.REWARD,
          List.of());
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  assertThat(
                          as(researcher)
                              .get("/api/models/" + version)
                              .then()
                              .statusCode(200)
                              .extract()
                              .jsonPath()
                              .getLong("labels.rankings"))
                      .isEqualTo(made.rankings()));
    }
  }
}
