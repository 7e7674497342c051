package dev.rlhf.labeling.runtimekeys;

import static dev.rlhf.labeling.LabelingApi.admin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.rlhf.events.EventCodec;
import dev.rlhf.events.Topic;
import dev.rlhf.events.contract.PlatformEvent;
import dev.rlhf.events.contract.RuntimeKeyIssued;
import dev.rlhf.events.contract.RuntimeKeyRevoked;
import dev.rlhf.labeling.LabelingApi;
import dev.rlhf.labeling.security.SecretTokens;
import dev.rlhf.testing.EmbeddedKafkaResource;
import dev.rlhf.testing.EmbeddedPostgresResource;
import dev.rlhf.testing.TopicReader;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** Admins issue keys for the model runtime's clients; the runtime learns their digests only. */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedKafkaResource.class)
class RuntimeKeysTest {

  private static List<PlatformEvent> keyEventsOf(String keyId, int expected) {
    String topic = Topic.RUNTIME_KEYS.topicName();
    List<ConsumerRecord<String, byte[]>> records =
        TopicReader.readUntil(
            EmbeddedKafkaResource.broker(),
            topic,
            seen -> seen.stream().filter(r -> keyId.equals(r.key())).count() >= expected,
            Duration.ofSeconds(30));
    return records.stream()
        .filter(r -> keyId.equals(r.key()))
        .map(r -> EventCodec.decode(r.value()))
        .toList();
  }

  @Test
  void shouldShowAKeyOnceAndPublishOnlyItsDigestThenItsRevocation() {
    String name = "eval-" + UUID.randomUUID().toString().substring(0, 8);
    Map<String, Object> issued =
        admin()
            .body(Map.of("name", name))
            .post("/api/admin/runtime-keys")
            .then()
            .statusCode(201)
            .body("name", equalTo(name))
            .extract()
            .path("");
    String key = (String) issued.get("key");
    String keyId = (String) issued.get("id");
    assertThat(key).startsWith("rlhf_mk_").hasSizeGreaterThan(40);
    assertThat(admin().get("/api/admin/runtime-keys").asString())
        .contains(name)
        .doesNotContain(key);

    List<PlatformEvent> events = keyEventsOf(keyId, 1);
    RuntimeKeyIssued published = (RuntimeKeyIssued) events.get(0);
    assertThat(published.tokenSha256()).isEqualTo(SecretTokens.digest(key));
    assertThat(new String(EventCodec.encode(published), StandardCharsets.UTF_8))
        .doesNotContain(key);

    admin()
        .post("/api/admin/runtime-keys/" + keyId + "/revoke")
        .then()
        .statusCode(200)
        .body("revokedAt", org.hamcrest.Matchers.notNullValue());
    assertThat(keyEventsOf(keyId, 2).get(1)).isInstanceOf(RuntimeKeyRevoked.class);
  }

  @Test
  void shouldRefuseAKeyNameThatIsNoNameAndIssueNothing() {
    int before = admin().get("/api/admin/runtime-keys").then().extract().path("size()");
    admin()
        .body(Map.of("name", "not a name!"))
        .post("/api/admin/runtime-keys")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("field", equalTo("name"));
    LabelingApi.as(LabelingApi.user("researcher"))
        .body(Map.of("name", "sneaky"))
        .post("/api/admin/runtime-keys")
        .then()
        .statusCode(403);
    int after = admin().get("/api/admin/runtime-keys").then().extract().path("size()");
    assertThat(after).isEqualTo(before);
  }
}
