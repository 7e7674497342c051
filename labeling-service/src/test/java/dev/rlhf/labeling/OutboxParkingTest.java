package dev.rlhf.labeling;

import static dev.rlhf.labeling.LabelingApi.admin;
import static dev.rlhf.labeling.LabelingApi.as;
import static dev.rlhf.labeling.LabelingApi.next;
import static dev.rlhf.labeling.LabelingApi.project;
import static dev.rlhf.labeling.LabelingApi.prompts;
import static dev.rlhf.labeling.LabelingApi.user;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rlhf.events.Topic;
import dev.rlhf.events.contract.DemonstrationSubmitted;
import dev.rlhf.testing.EmbeddedKafkaResource;
import dev.rlhf.testing.EmbeddedPostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedKafkaResource.class)
class OutboxParkingTest {

  @Inject AgroalDataSource dataSource;

  @Test
  void shouldParkAnEventTheBrokerRefusesShowItToAdminsAndKeepPublishingTheRest() throws Exception {
    UUID tooLarge = UUID.randomUUID();
    long row = insertEventOfMegabytes(tooLarge, 1.5);

    // Over the producer's 1 MB record limit: parked with the reason, not retried forever.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                parked(admin().get("/api/admin/outbox").jsonPath()).contains(tooLarge.toString()));
    JsonPath backlog = admin().get("/api/admin/outbox").jsonPath();
    Map<String, Object> parked =
        backlog.<Map<String, Object>>getList("parkedEvents").stream()
            .filter(p -> tooLarge.toString().equals(p.get("eventId")))
            .findFirst()
            .orElseThrow();
    assertThat(parked.get("reason").toString()).contains("RecordTooLargeException");
    assertThat((Integer) parked.get("payloadBytes")).isGreaterThan(1_500_000);
    assertThat(backlog.getLong("parked")).isPositive();
    assertThat(given().get("/q/metrics").asString())
        .containsPattern("(?m)^rlhf_outbox_parked [1-9]");

    // The rows after it are published as ever.
    String researcher = user("researcher");
    String contractor = user("contractor");
    String project = project(researcher, 1, 1);
    prompts(researcher, project, "DEMONSTRATION", "Still flowing?");
    String labelId =
        as(contractor)
            .body(Map.of("response", "Yes"))
            .post(
                "/api/assignments/"
                    + next(contractor, project).getString("assignmentId")
                    + "/demonstration")
            .then()
            .statusCode(201)
            .extract()
            .path("labelId");
    assertThat(
            TopicReader.read(
                Topic.DEMONSTRATIONS,
                e ->
                    e instanceof DemonstrationSubmitted d
                        && d.demonstrationId().toString().equals(labelId),
                Duration.ofSeconds(60),
                1))
        .hasSize(1);

    // Sent again on an admin's word (here it is still too large, so it is parked again).
    admin().post("/api/admin/outbox/" + row + "/send-again").then().statusCode(200);
    await().atMost(Duration.ofSeconds(30)).until(() -> parkedAgain(row));
    admin().post("/api/admin/outbox/999999999/send-again").then().statusCode(404);
    as(contractor).get("/api/admin/outbox").then().statusCode(403);
  }

  private static List<String> parked(JsonPath backlog) {
    return backlog.getList("parkedEvents.eventId");
  }

  private long insertEventOfMegabytes(UUID eventId, double megabytes) throws Exception {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement insert =
            connection.prepareStatement(
                "insert into outbox_event (event_id, topic, aggregate_key, event_type, payload)"
                    + " values (?, ?, 'too-large', 'DemonstrationSubmitted',"
                    + " jsonb_build_object('text', repeat('x', ?))) returning id")) {
      insert.setObject(1, eventId);
      insert.setString(2, Topic.DEMONSTRATIONS.topicName());
      insert.setInt(3, (int) (megabytes * 1_000_000));
      try (ResultSet id = insert.executeQuery()) {
        id.next();
        return id.getLong(1);
      }
    }
  }

  private boolean parkedAgain(long row) throws Exception {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement query =
            connection.prepareStatement(
                "select parked_at is not null and published_at is null from outbox_event where id = ?")) {
      query.setLong(1, row);
      try (ResultSet result = query.executeQuery()) {
        return result.next() && result.getBoolean(1);
      }
    }
  }
}
