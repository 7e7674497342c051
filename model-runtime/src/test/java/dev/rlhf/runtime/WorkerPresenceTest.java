package dev.rlhf.runtime;

import static dev.rlhf.runtime.RuntimeApi.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rlhf.events.EventCodec;
import dev.rlhf.events.Topic;
import dev.rlhf.events.contract.WorkerHeartbeatReported;
import dev.rlhf.testing.EmbeddedKafkaResource;
import dev.rlhf.testing.TopicReader;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(EmbeddedKafkaResource.class)
@QuarkusTestResource(TinyCheckpoints.class)
class WorkerPresenceTest {

  @Test
  void shouldAnnounceItselfOnTheWorkersTopicWithItsDevice() {
    var record = TopicReader.first(EmbeddedKafkaResource.broker(), Topic.WORKERS.topicName());
    var beat = (WorkerHeartbeatReported) EventCodec.decode(record.value());

    assertThat(beat.service()).isEqualTo("model-runtime");
    assertThat(beat.device()).isEqualTo("cpu");
  }

  @Test
  void shouldExposeHealthAndPrometheusMetrics() {
    given().get("/q/health/live").then().statusCode(200);
    assertThat(given().get("/q/metrics").then().statusCode(200).extract().asString())
        .contains("jvm_memory_used_bytes");
  }
}
