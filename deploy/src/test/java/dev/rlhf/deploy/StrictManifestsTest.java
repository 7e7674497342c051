package dev.rlhf.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rlhf.deploy.StrictManifests.InvalidManifestException;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

/** The checker refuses what an API server with strict validation or the operators would refuse. */
class StrictManifestsTest {

  private final StrictManifests manifests = new StrictManifests();

  private static final String DEPLOYMENT =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
      spec:
        %s: 2
        selector:
          matchLabels: {app: web}
        template:
          metadata:
            labels: {app: web}
          spec:
            containers:
              - name: web
                image: web:1
                ports:
                  - containerPort: %s
                readinessProbe:
                  httpGet:
                    %s: /q/health/ready
                    port: 8080
      """;

  @Test
  void shouldReadAWellFormedDeployment() {
    var resources = manifests.parse(DEPLOYMENT.formatted("replicas", "8080", "path"), "test");

    assertThat(resources).singleElement().isInstanceOf(Deployment.class);
    Deployment deployment = (Deployment) resources.get(0);
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
    assertThat(deployment.getAdditionalProperties()).isEmpty();
  }

  @Test
  void shouldRejectAMisspeltFieldOfAKubernetesKind() {
    assertThatThrownBy(
            () -> manifests.parse(DEPLOYMENT.formatted("replica", "8080", "path"), "test"))
        .isInstanceOf(InvalidManifestException.class)
        .hasMessageContaining("\"replica\"");
  }

  @Test
  void shouldRejectAMisspeltFieldDeepInsideAPodTemplate() {
    assertThatThrownBy(
            () -> manifests.parse(DEPLOYMENT.formatted("replicas", "8080", "paht"), "test"))
        .isInstanceOf(InvalidManifestException.class)
        .hasMessageContaining("\"paht\"");
  }

  @Test
  void shouldRejectAValueOfTheWrongType() {
    assertThatThrownBy(
            () -> manifests.parse(DEPLOYMENT.formatted("replicas", "eighty", "path"), "test"))
        .isInstanceOf(InvalidManifestException.class)
        .hasMessageContaining("containerPort");
  }

  @Test
  void shouldRejectAKeyWrittenTwice() {
    String twice =
        DEPLOYMENT
            .formatted("replicas", "8080", "path")
            .replace("  name: web\n", "  name: web\n  name: other\n");
    assertThatThrownBy(() -> manifests.parse(twice, "test")).hasMessageContaining("name");
  }

  @Test
  void shouldRejectAMisspeltFieldOfACustomResource() {
    String topic =
        """
        apiVersion: kafka.strimzi.io/v1beta2
        kind: KafkaTopic
        metadata:
          name: rlhf.labels.rankings
        spec:
          partitions: 6
          replicas: 3
          confg:
            retention.ms: -1
        """;
    assertThatThrownBy(() -> manifests.parse(topic, "test"))
        .isInstanceOf(InvalidManifestException.class)
        .hasMessageContaining("spec.confg.retention.ms");
  }

  @Test
  void shouldRejectAValueTheOperatorDoesNotKnow() {
    String pool =
        """
        apiVersion: kafka.strimzi.io/v1beta2
        kind: KafkaNodePool
        metadata:
          name: pool
        spec:
          replicas: 3
          roles: [controller, borker]
          storage:
            type: ephemeral
        """;
    assertThatThrownBy(() -> manifests.parse(pool, "test"))
        .isInstanceOf(InvalidManifestException.class)
        .hasMessageContaining("borker");
  }

  @Test
  void shouldRejectACustomResourceWithoutAFieldThePlatformReliesOn() {
    String cluster =
        """
        apiVersion: postgresql.cnpg.io/v1
        kind: Cluster
        metadata:
          name: db
        spec:
          instances: 3
          storage:
            size: 1Gi
        """;
    assertThatThrownBy(() -> manifests.parse(cluster, "test"))
        .isInstanceOf(InvalidManifestException.class)
        .hasMessageContaining("spec.bootstrap.initdb.database is required");
  }

  @Test
  void shouldRejectAKindNobodyServes() {
    String unknown =
        """
        apiVersion: example.com/v1
        kind: Widget
        metadata:
          name: w
        """;
    assertThatThrownBy(() -> manifests.parse(unknown, "test"))
        .isInstanceOf(InvalidManifestException.class)
        .hasMessageContaining("Widget");
  }
}
