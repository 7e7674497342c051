package dev.rlhf.launcher;

import static io.restassured.RestAssured.given;

import dev.rlhf.events.Topic;
import dev.rlhf.events.contract.DemonstrationSubmitted;
import dev.rlhf.events.contract.PlatformEvent;
import dev.rlhf.events.contract.RankingSubmitted;
import dev.rlhf.labeling.actors.Researcher;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a project's labels are, as an operator can look: stored (the label API), on Kafka (the
 * label topic, read from its start), and received by the trainers that consume them (their {@code
 * rlhf_trainer_labels_received} metric).
 */
final class Pipeline {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final Platform platform;
  private final String researcher;

  Pipeline(Platform platform, String researcher) {
    this.platform = platform;
    this.researcher = researcher;
  }

  /** The label ids stored for a project. */
  Set<UUID> stored(String project) {
    return stored(researcher, project);
  }

  /** The label ids stored for a project, as {@code researcher} lists them. */
  static Set<UUID> stored(String researcher, String project) {
    List<String> ids =
        Researcher.as(researcher)
            .queryParam("project", project)
            .queryParam("limit", 1000)
            .get("/api/labels")
            .then()
            .statusCode(200)
            .extract()
            .path("id");
    Set<UUID> stored = new HashSet<>();
    ids.forEach(id -> stored.add(UUID.fromString(id)));
    return stored;
  }

  /** Every record of a project's labels on its topic, copies included, by label id. */
  List<UUID> onKafka(String type, String project) {
    Topic topic = type.equals("RANKING") ? Topic.RANKINGS : Topic.DEMONSTRATIONS;
    UUID projectId = UUID.fromString(project);
    List<UUID> labels = new ArrayList<>();
    for (PlatformEvent event : TopicRecords.all(platform.kafkaBootstrapServers(), topic)) {
      if (event instanceof DemonstrationSubmitted d && projectId.equals(d.projectId())) {
        labels.add(d.demonstrationId());
      } else if (event instanceof RankingSubmitted r && projectId.equals(r.projectId())) {
        labels.add(r.rankingId());
      }
    }
    return labels;
  }

  /**
   * Distinct labels of a type that every trainer consuming them holds (the smallest count: both
   * trainers read rankings, policy-trainer for its PPO prompts); -1 while one is down.
   */
  long received(String type) {
    String tag = type.equals("RANKING") ? "ranking" : "demonstration";
    List<String> trainers =
        type.equals("RANKING")
            ? List.of("reward-trainer", "policy-trainer")
            : List.of("policy-trainer");
    long least = Long.MAX_VALUE;
    for (String trainer : trainers) {
      least = Math.min(least, received(trainer, tag));
    }
    return least;
  }

  private long received(String trainer, String tag) {
    Pattern line =
        Pattern.compile(
            "(?m)^rlhf_trainer_labels_received\\{[^}]*type=\"" + tag + "\"[^}]*\\} ([0-9.]+)");
    try {
      String metrics =
          HTTP.send(
                  HttpRequest.newBuilder(
                          URI.create(platform.serviceUrls().get(trainer) + "/q/metrics"))
                      .timeout(Duration.ofSeconds(5))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      Matcher m = line.matcher(metrics);
      return m.find() ? (long) Double.parseDouble(m.group(1)) : -1;
    } catch (IOException down) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** Outbox rows not yet published, as the admin page shows them. */
  long unsent() {
    return outbox().getLong("unsent");
  }

  /** Outbox rows the broker refused, as the admin page shows them. */
  long parked() {
    return outbox().getLong("parked");
  }

  private static JsonPath outbox() {
    return given()
        .auth()
        .preemptive()
        .basic("admin", "admin")
        .get("/api/admin/outbox")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }
}
