package dev.rlhf.deploy;

import static org.assertj.core.api.Assumptions.assumeThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/** The resources one kustomization renders to, looked up by kind and name. */
final class Rendered {

  private static final Map<String, Rendered> CACHE = new HashMap<>();

  private final String overlay;
  private final List<HasMetadata> resources;

  private Rendered(String overlay, List<HasMetadata> resources) {
    this.overlay = overlay;
    this.resources = resources;
  }

  /** The rendering of {@code overlay} (relative to deploy/kubernetes); skips without kubectl. */
  static synchronized Rendered of(String overlay) {
    assumeThat(Kustomize.available()).as(Kustomize.MISSING).isTrue();
    return CACHE.computeIfAbsent(
        overlay,
        o -> {
          var dir = Repository.KUBERNETES.resolve(o);
          return new Rendered(o, new StrictManifests().parse(Kustomize.render(dir), o));
        });
  }

  String overlay() {
    return overlay;
  }

  <T extends HasMetadata> List<T> all(Class<T> type) {
    return resources.stream().filter(type::isInstance).map(type::cast).toList();
  }

  <T extends HasMetadata> T get(Class<T> type, String name) {
    return all(type).stream()
        .filter(r -> r.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new NoSuchElementException(
                    overlay + " has no " + type.getSimpleName() + " " + name));
  }

  /** The operators' resources of one kind. */
  List<GenericKubernetesResource> custom(String kind) {
    return all(GenericKubernetesResource.class).stream()
        .filter(r -> r.getKind().equals(kind))
        .toList();
  }

  Deployment deployment(String name) {
    return get(Deployment.class, name);
  }

  StatefulSet statefulSet(String name) {
    return get(StatefulSet.class, name);
  }

  /** The pod template of the service's workload, a Deployment or a StatefulSet. */
  PodTemplateSpec pods(String name) {
    return all(Deployment.class).stream()
        .filter(d -> d.getMetadata().getName().equals(name))
        .map(d -> d.getSpec().getTemplate())
        .findFirst()
        .orElseGet(() -> statefulSet(name).getSpec().getTemplate());
  }

  /** The first container of the service's pods. */
  Container container(String name) {
    return pods(name).getSpec().getContainers().get(0);
  }

  /**
   * The environment a service's container gets: its ConfigMaps' keys (envFrom) and its own entries;
   * a value from a Secret shows as {@code secret:NAME/KEY}.
   */
  Map<String, String> environment(String service) {
    Container container = container(service);
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvFromSource from : container.getEnvFrom()) {
      ConfigMap map = get(ConfigMap.class, from.getConfigMapRef().getName());
      env.putAll(map.getData());
    }
    for (EnvVar var : container.getEnv()) {
      if (var.getValueFrom() == null) {
        env.put(var.getName(), var.getValue());
      } else if (var.getValueFrom().getSecretKeyRef() != null) {
        var ref = var.getValueFrom().getSecretKeyRef();
        env.put(var.getName(), "secret:" + ref.getName() + "/" + ref.getKey());
      } else {
        env.put(var.getName(), "from:" + var.getValueFrom());
      }
    }
    return env;
  }

  /** A value at a dotted path of an operator resource (no lists). */
  @SuppressWarnings("unchecked")
  static Object field(GenericKubernetesResource resource, String path) {
    Object node = resource.getAdditionalProperties();
    for (String step : path.split("\\.")) {
      if (!(node instanceof Map)) return null;
      node = ((Map<String, Object>) node).get(step);
    }
    return node;
  }
}
