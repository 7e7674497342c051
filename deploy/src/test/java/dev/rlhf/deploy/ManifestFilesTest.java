package dev.rlhf.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kustomization under deploy/kubernetes renders, and every document it renders is a valid
 * Kubernetes (or operator) resource with no field its kind does not have. Each file is also checked
 * as written, which needs no kubectl.
 */
class ManifestFilesTest {

  private static final StrictManifests manifests = new StrictManifests();

  static Stream<Path> kustomizations() {
    return Repository.kustomizations().stream();
  }

  static Stream<Path> files() {
    return Repository.manifestFiles().stream();
  }

  @Test
  void shouldHaveABaseAndAnOverlayForEachWayToRunIt() {
    assertThat(Repository.kustomizations())
        .extracting(dir -> Repository.KUBERNETES.relativize(dir).toString())
        .containsExactlyInAnyOrder(
            "base", "overlays/in-cluster", "overlays/gpu", "overlays/external");
  }

  @ParameterizedTest
  @MethodSource("kustomizations")
  void shouldRenderIntoValidResourcesOnly(Path kustomization) {
    assumeThat(Kustomize.available()).as(Kustomize.MISSING).isTrue();

    List<HasMetadata> resources =
        manifests.parse(Kustomize.render(kustomization), kustomization.toString());

    assertThat(resources).isNotEmpty();
    assertThat(resources)
        .as("no Secret is committed: each is created in the cluster (README, Secrets)")
        .noneMatch(r -> r.getKind().equals("Secret"));
  }

  @ParameterizedTest
  @MethodSource("files")
  void shouldBeValidAsWritten(Path file) throws IOException {
    JsonNode first = new YAMLMapper().readTree(file.toFile());
    if (first != null && first.isArray()) {
      // A JSON patch (RFC 6902): each operation names what it does and where.
      for (JsonNode op : first) {
        assertThat(op.path("op").asText())
            .as(file + " op")
            .isIn(Set.of("add", "remove", "replace", "move", "copy", "test"));
        assertThat(op.path("path").asText()).as(file + " path").startsWith("/");
      }
      return;
    }
    assertThat(manifests.parseFragment(Repository.read(file), file.toString())).isNotEmpty();
  }
}
