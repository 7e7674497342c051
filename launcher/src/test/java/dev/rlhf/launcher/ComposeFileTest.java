package dev.rlhf.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The compose stack keeps running what it runs: read from docker-compose.yml itself (anchors
 * resolved), since no Docker engine is at hand in CI; {@code docker-compose config} checks its
 * syntax there.
 */
class ComposeFileTest {

  private static final List<String> SERVICES =
      List.of("labeling-service", "model-runtime", "reward-trainer", "policy-trainer");

  private final Map<String, Map<String, Object>> services = read();

  @Test
  void shouldStartEveryContainerAgainWhenItExits() {
    assertThat(services)
        .containsKeys("postgres", "kafka")
        .containsKeys(SERVICES.toArray(String[]::new));
    services.forEach(
        (name, service) -> assertThat(service.get("restart")).as(name).isEqualTo("unless-stopped"));
  }

  @Test
  void shouldAcknowledgeACommitOnlyOnceItIsOnDisk() {
    @SuppressWarnings("unchecked")
    List<String> command = (List<String>) services.get("postgres").get("command");
    assertThat(command)
        .contains("fsync=on", "synchronous_commit=on", "full_page_writes=on")
        .noneMatch(argument -> argument.endsWith("=off"));
  }

  @Test
  void shouldProbeLivenessAndReadinessOfEveryService() {
    for (String service : SERVICES) {
      Map<?, ?> healthcheck = (Map<?, ?>) services.get(service).get("healthcheck");
      // /q/health is every check: a dependency away and a consumer thread that ended both fail it.
      assertThat(healthcheck.get("test").toString()).as(service).contains("GET /q/health HTTP/1.0");
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Map<String, Object>> read() {
    Path compose = Path.of("").toAbsolutePath().getParent().resolve("docker-compose.yml");
    try (Reader reader = Files.newBufferedReader(compose)) {
      Map<String, Object> file = new Yaml().load(reader);
      return (Map<String, Map<String, Object>>) file.get("services");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
