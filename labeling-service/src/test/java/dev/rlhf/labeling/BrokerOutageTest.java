package dev.rlhf.labeling;

import static dev.rlhf.labeling.LabelingApi.as;
import static dev.rlhf.labeling.LabelingApi.next;
import static dev.rlhf.labeling.LabelingApi.project;
import static dev.rlhf.labeling.LabelingApi.prompts;
import static dev.rlhf.labeling.LabelingApi.user;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rlhf.events.Topic;
import dev.rlhf.events.contract.DemonstrationSubmitted;
import dev.rlhf.testing.EmbeddedKafkaResource;
import dev.rlhf.testing.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedKafkaResource.class)
class BrokerOutageTest {

  @Test
  void shouldAcceptSubmissionsWhileTheBrokerIsDownAndPublishThemOnceItIsBack() {
    String researcher = user("researcher");
    String contractor = user("contractor");
    String project = project(researcher, 1, 1);
    prompts(researcher, project, "DEMONSTRATION", "Are you there?");
    String assignment = next(contractor, project).getString("assignmentId");

    EmbeddedKafkaResource.stopBroker();
    String labelId;
    try {
      labelId =
          as(contractor)
              .body(Map.of("response", "Written during the outage"))
              .post("/api/assignments/" + assignment + "/demonstration")
              .then()
              .statusCode(201)
              .extract()
              .path("labelId");
    } finally {
      EmbeddedKafkaResource.restartBroker();
    }

    var published =
        TopicReader.read(
            Topic.DEMONSTRATIONS,
            e ->
                e instanceof DemonstrationSubmitted d
                    && d.demonstrationId().toString().equals(labelId),
            Duration.ofSeconds(90),
            1);
    assertThat(published).hasSize(1);
  }
}
