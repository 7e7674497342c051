package dev.rlhf.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rlhf.events.Topic;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The pieces fit together: the services find the database, the broker, each other and their secrets
 * where the operators put them; every topic exists with a partition count its readers allow; the
 * parts that may be replicated are, and the ones that may not are not.
 */
class PlatformWiringTest {

  private static final List<String> WORKERS =
      List.of("model-runtime", "reward-trainer", "policy-trainer");

  @Test
  void shouldConnectLabelingServiceToTheCloudNativePgPrimary() {
    Rendered rendered = Rendered.of("overlays/in-cluster");
    GenericKubernetesResource cluster = rendered.custom("Cluster").get(0);
    String name = cluster.getMetadata().getName();
    Map<String, String> env = rendered.environment("labeling-service");

    URI url = URI.create(env.get("DATABASE_URL").substring("jdbc:".length()));
    assertThat(url.getHost()).isEqualTo(name + "-rw");
    assertThat(url.getPath())
        .isEqualTo("/" + Rendered.field(cluster, "spec.bootstrap.initdb.database"));
    // The operator keeps the database owner's credentials in <cluster>-app.
    assertThat(env)
        .containsEntry("DATABASE_USER", "secret:" + name + "-app/username")
        .containsEntry("DATABASE_PASSWORD", "secret:" + name + "-app/password");
    assertThat((Integer) Rendered.field(cluster, "spec.instances")).isGreaterThanOrEqualTo(3);
  }

  @Test
  void shouldAllowEveryConnectionTheAutoscaledPoolsCanOpen() {
    Rendered rendered = Rendered.of("overlays/in-cluster");
    GenericKubernetesResource cluster = rendered.custom("Cluster").get(0);
    int maxConnections =
        Integer.parseInt(
            String.valueOf(Rendered.field(cluster, "spec.postgresql.parameters.max_connections")));
    int pool = Integer.parseInt(rendered.environment("labeling-service").get("DATABASE_POOL_SIZE"));
    int replicas =
        rendered.get(HorizontalPodAutoscaler.class, "labeling-service").getSpec().getMaxReplicas();

    assertThat(maxConnections).isGreaterThan(pool * replicas);
  }

  @Test
  void shouldSignEveryServiceInToStrimziAsItsOwnUser() {
    Rendered rendered = Rendered.of("overlays/in-cluster");
    GenericKubernetesResource kafka = rendered.custom("Kafka").get(0);
    @SuppressWarnings("unchecked")
    Map<String, Object> listener =
        ((List<Map<String, Object>>) Rendered.field(kafka, "spec.kafka.listeners")).get(0);
    Set<String> users =
        rendered.custom("KafkaUser").stream()
            .map(u -> u.getMetadata().getName())
            .collect(Collectors.toSet());

    for (String service : Repository.SERVICES) {
      Map<String, String> env = rendered.environment(service);
      assertThat(env.get("KAFKA_BOOTSTRAP_SERVERS"))
          .isEqualTo(kafka.getMetadata().getName() + "-kafka-bootstrap:" + listener.get("port"));
      assertThat(env.get("KAFKA_SECURITY_PROTOCOL"))
          .isEqualTo(Boolean.TRUE.equals(listener.get("tls")) ? "SASL_SSL" : "SASL_PLAINTEXT");
      @SuppressWarnings("unchecked")
      String mechanism =
          ((Map<String, Object>) listener.get("authentication")).get("type").toString();
      assertThat(env.get("KAFKA_SASL_MECHANISM")).isEqualToIgnoringCase(mechanism);
      String user = env.get("KAFKA_SASL_USERNAME");
      assertThat(users).contains(user);
      // Strimzi keeps a user's password in the Secret of its name.
      assertThat(env.get("KAFKA_SASL_PASSWORD")).isEqualTo("secret:" + user + "/password");
    }
    for (GenericKubernetesResource resource : rendered.all(GenericKubernetesResource.class)) {
      if (resource.getKind().startsWith("Kafka") && !resource.getKind().equals("Kafka")) {
        assertThat(resource.getMetadata().getLabels())
            .as(resource.getKind() + " " + resource.getMetadata().getName())
            .containsEntry("strimzi.io/cluster", kafka.getMetadata().getName());
      }
    }
  }

  @Test
  void shouldDeclareEveryTopicWithThePartitionsItsReadersAllow() {
    Rendered rendered = Rendered.of("overlays/in-cluster");
    Map<String, GenericKubernetesResource> topics =
        rendered.custom("KafkaTopic").stream()
            .collect(Collectors.toMap(t -> t.getMetadata().getName(), t -> t));

    for (Topic topic : Topic.values()) {
      GenericKubernetesResource declared = topics.get(topic.topicName());
      assertThat(declared).as(topic.topicName()).isNotNull();
      int partitions = (Integer) Rendered.field(declared, "spec.partitions");
      String label = topic.partitionable() ? "per-key" : "whole-topic";
      assertThat(declared.getMetadata().getLabels()).containsEntry("rlhf.dev/ordering", label);
      if (topic.partitionable()) {
        assertThat(partitions).as(topic.topicName()).isGreaterThan(1);
      } else {
        assertThat(partitions).as(topic.topicName()).isEqualTo(1);
      }
      assertThat(topics).as("dead-letter twin").containsKey(topic.deadLetterTopicName());
    }
    Set<String> known = new TreeSet<>();
    for (Topic topic : Topic.values()) {
      known.add(topic.topicName());
      known.add(topic.deadLetterTopicName());
    }
    assertThat(topics.keySet()).isEqualTo(known);
    @SuppressWarnings("unchecked")
    Map<String, Object> config =
        (Map<String, Object>) Rendered.field(rendered.custom("Kafka").get(0), "spec.kafka.config");
    assertThat(config).containsEntry("auto.create.topics.enable", false);
  }

  @Test
  @SuppressWarnings("unchecked")
  void shouldGrantTopicsAndGroupsThatExist() {
    Rendered rendered = Rendered.of("overlays/in-cluster");
    Set<String> topics =
        rendered.custom("KafkaTopic").stream()
            .map(t -> t.getMetadata().getName())
            .collect(Collectors.toSet());

    for (GenericKubernetesResource user : rendered.custom("KafkaUser")) {
      String service = user.getMetadata().getName().substring("rlhf-".length());
      assertThat(Repository.SERVICES).contains(service);
      var acls = (List<Map<String, Object>>) Rendered.field(user, "spec.authorization.acls");
      for (Map<String, Object> acl : acls) {
        Map<String, Object> resource = (Map<String, Object>) acl.get("resource");
        if (resource.get("type").equals("topic")) {
          assertThat(topics).contains((String) resource.get("name"));
        } else {
          // The service's consumer groups all start with its group id (rlhf.kafka.group-id).
          assertThat(resource).containsEntry("type", "group").containsEntry("name", service);
          assertThat(resource).containsEntry("patternType", "prefix");
        }
      }
    }
  }

  @Test
  void shouldReplicateLabelingServiceBehindABudgetAndAnAutoscaler() {
    Rendered rendered = Rendered.of("overlays/in-cluster");
    Deployment deployment = rendered.deployment("labeling-service");
    Map<String, String> pods = deployment.getSpec().getTemplate().getMetadata().getLabels();
    PodDisruptionBudget budget = rendered.get(PodDisruptionBudget.class, "labeling-service");
    HorizontalPodAutoscaler autoscaler =
        rendered.get(HorizontalPodAutoscaler.class, "labeling-service");

    assertThat(deployment.getSpec().getReplicas()).isGreaterThanOrEqualTo(2);
    assertThat(pods).containsAllEntriesOf(budget.getSpec().getSelector().getMatchLabels());
    assertThat(autoscaler.getSpec().getScaleTargetRef().getName()).isEqualTo("labeling-service");
    assertThat(autoscaler.getSpec().getMinReplicas()).isEqualTo(deployment.getSpec().getReplicas());
    assertThat(rendered.container("labeling-service").getResources().getRequests())
        .as("the autoscaler measures CPU against the request")
        .containsKey("cpu");
  }

  @Test
  void shouldRunTrainersAsStatefulSetsNamedByTheirPods() {
    Rendered rendered = Rendered.of("overlays/in-cluster");
    for (String trainer : List.of("reward-trainer", "policy-trainer")) {
      StatefulSet set = rendered.statefulSet(trainer);
      // Each replica appends to its own label store on the shared volume, under the name in
      // TRAINER_REPLICA: the pod's name, which a StatefulSet keeps across restarts, so a replica
      // finds and resumes its unfinished runs; a rollout stops a pod before its successor of the
      // same name starts, so never two processes on one store.
      assertThat(set.getSpec().getReplicas()).as(trainer).isEqualTo(1);
      EnvVar replica =
          rendered.container(trainer).getEnv().stream()
              .filter(e -> e.getName().equals("TRAINER_REPLICA"))
              .findFirst()
              .orElseThrow();
      assertThat(replica.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name");
      Service governing = rendered.get(Service.class, set.getSpec().getServiceName());
      assertThat(governing.getSpec().getClusterIP()).as(trainer).isEqualTo("None");
      assertThat(set.getSpec().getTemplate().getMetadata().getLabels())
          .containsAllEntriesOf(governing.getSpec().getSelector());
    }
  }

  @Test
  void shouldShareOneCheckpointsVolumeBetweenRuntimeAndTrainers() {
    Rendered rendered = Rendered.of("overlays/in-cluster");
    PersistentVolumeClaim claim = rendered.get(PersistentVolumeClaim.class, "rlhf-checkpoints");
    assertThat(claim.getSpec().getAccessModes()).containsExactly("ReadWriteMany");

    for (String worker : WORKERS) {
      String directory = rendered.environment(worker).get("CHECKPOINTS_DIR");
      var volume =
          rendered.pods(worker).getSpec().getVolumes().stream()
              .filter(v -> v.getPersistentVolumeClaim() != null)
              .filter(v -> v.getPersistentVolumeClaim().getClaimName().equals("rlhf-checkpoints"))
              .findFirst()
              .orElseThrow();
      assertThat(rendered.container(worker).getVolumeMounts())
          .anySatisfy(
              m -> {
                assertThat(m.getName()).isEqualTo(volume.getName());
                assertThat(m.getMountPath()).isEqualTo(directory);
              });
    }
  }

  @Test
  void shouldGiveEachRuntimeReplicaItsOwnStateDirectory() {
    Rendered rendered = Rendered.of("overlays/in-cluster");
    Deployment runtime = rendered.deployment("model-runtime");
    String state = rendered.environment("model-runtime").get("RUNTIME_STATE_DIR");
    String checkpoints = rendered.environment("model-runtime").get("CHECKPOINTS_DIR");

    // Each replica appends to its answered-requests file: never one file on the shared volume.
    assertThat(state).isNotNull().doesNotStartWith(checkpoints);
    var mount =
        rendered.container("model-runtime").getVolumeMounts().stream()
            .filter(m -> m.getMountPath().equals(state))
            .findFirst()
            .orElseThrow();
    assertThat(runtime.getSpec().getTemplate().getSpec().getVolumes())
        .filteredOn(v -> v.getName().equals(mount.getName()))
        .singleElement()
        .satisfies(v -> assertThat(v.getPersistentVolumeClaim()).isNull());
  }

  @Test
  void shouldCallTheRuntimeThroughItsPrivateService() {
    Rendered rendered = Rendered.of("overlays/in-cluster");
    URI url = URI.create(rendered.environment("labeling-service").get("MODEL_RUNTIME_URL"));
    Service runtime = rendered.get(Service.class, url.getHost());

    assertThat(runtime.getSpec().getType()).isEqualTo("ClusterIP");
    assertThat(runtime.getSpec().getPorts())
        .anySatisfy(p -> assertThat(p.getPort()).isEqualTo(url.getPort()));
    assertThat(runtime.getSpec().getSelector())
        .isEqualTo(rendered.deployment("model-runtime").getSpec().getSelector().getMatchLabels());
  }

  @Test
  void shouldServeLabelingServiceOverTlsOnly() {
    Rendered rendered = Rendered.of("overlays/in-cluster");
    Ingress ingress = rendered.get(Ingress.class, "labeling-service");
    Map<String, String> env = rendered.environment("labeling-service");
    Set<String> tlsHosts = new TreeSet<>();
    ingress
        .getSpec()
        .getTls()
        .forEach(
            t -> {
              assertThat(t.getSecretName()).isNotBlank();
              tlsHosts.addAll(t.getHosts());
            });

    for (var rule : ingress.getSpec().getRules()) {
      assertThat(tlsHosts).contains(rule.getHost());
      assertThat(env.get("ALLOWED_ORIGINS")).contains("https://" + rule.getHost());
      for (var path : rule.getHttp().getPaths()) {
        assertThat(path.getBackend().getService().getName()).isEqualTo("labeling-service");
        assertThat(rendered.get(Service.class, "labeling-service").getSpec().getPorts())
            .anySatisfy(
                p ->
                    assertThat(p.getName())
                        .isEqualTo(path.getBackend().getService().getPort().getName()));
      }
    }
    assertThat(env).containsEntry("PROXY_FORWARDING", "true");
    assertThat(rendered.all(Ingress.class)).singleElement();
  }

  @Test
  void shouldPutTheWorkersOnGpuNodesOnlyInTheGpuOverlay() {
    Rendered gpu = Rendered.of("overlays/gpu");
    Rendered cpu = Rendered.of("overlays/in-cluster");
    for (String worker : WORKERS) {
      var pod = gpu.pods(worker).getSpec();
      assertThat(gpu.container(worker).getResources().getLimits())
          .as(worker)
          .containsKey("nvidia.com/gpu");
      assertThat(pod.getNodeSelector()).as(worker).isNotEmpty();
      assertThat(pod.getTolerations())
          .anySatisfy(t -> assertThat(t.getKey()).isEqualTo("nvidia.com/gpu"));

      assertThat(cpu.container(worker).getResources().getLimits())
          .doesNotContainKey("nvidia.com/gpu");
    }
    assertThat(gpu.container("labeling-service").getResources().getLimits())
        .doesNotContainKey("nvidia.com/gpu");
  }

  @Test
  void shouldLeaveTheOperatorsOutWhenTheDatabaseAndBrokerAreExternal() {
    Rendered external = Rendered.of("overlays/external");
    assertThat(external.custom("Cluster")).isEmpty();
    assertThat(external.custom("Kafka")).isEmpty();
    Map<String, String> env = external.environment("labeling-service");
    assertThat(env.get("DATABASE_URL")).startsWith("jdbc:postgresql://");
    assertThat(env).containsEntry("DATABASE_USER", "secret:rlhf-database/username");
    assertThat(external.get(ConfigMap.class, "rlhf-kafka-client").getData())
        .containsEntry("KAFKA_SECURITY_PROTOCOL", "SASL_SSL");
  }
}
