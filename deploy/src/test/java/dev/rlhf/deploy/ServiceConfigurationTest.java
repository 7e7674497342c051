package dev.rlhf.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.rlhf.deploy.Repository.Service;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each service's workload (Deployment or StatefulSet) runs the image compose builds, on the port
 * the service listens on, probes the health endpoints it serves, and sets only environment
 * variables it reads: all read from the service's application.properties, its Dockerfile and
 * docker-compose.yml.
 */
class ServiceConfigurationTest {

  static Stream<Arguments> servicesInEachOverlay() {
    return Stream.of("overlays/in-cluster", "overlays/gpu", "overlays/external")
        .flatMap(o -> Repository.SERVICES.stream().map(s -> Arguments.of(o, s)));
  }

  @ParameterizedTest(name = "{1} in {0}")
  @MethodSource("servicesInEachOverlay")
  void shouldRunTheImageComposeBuilds(String overlay, String name) {
    Service service = new Service(name);
    String image = Rendered.of(overlay).container(name).getImage();
    String composeImage = (String) service.compose().get("image");

    assertThat(repository(image)).isEqualTo(repository(composeImage));
    if (!service.compose().containsKey("deploy")) {
      assertThat(tag(image)).isEqualTo(tag(composeImage));
    } else {
      // DJL services: the tag names the PyTorch build the image bundles (its PYTORCH_FLAVOR): the
      // CUDA one compose uses by default on GPU nodes, the CPU one of docker-compose.cpu.yml else.
      String flavour = overlay.endsWith("gpu") ? cudaFlavour(service) : cpuFlavour(name);
      assertThat(tag(image)).as(image).isEqualTo(flavour);
    }
  }

  @ParameterizedTest(name = "{1} in {0}")
  @MethodSource("servicesInEachOverlay")
  void shouldListenAndBeProbedWhereTheServiceServes(String overlay, String name) {
    Service service = new Service(name);
    Container container = Rendered.of(overlay).container(name);
    int port = Integer.parseInt(service.effective("quarkus.http.port", "8080"));

    assertThat(port).isEqualTo(service.exposedPort());
    assertThat(container.getPorts())
        .extracting(ContainerPort::getContainerPort)
        .containsExactly(port);
    assertThat(service.property("quarkus.management.enabled"))
        .as("health is served on the main port only while the management interface is off")
        .isNull();
    assertThat(service.dependsOn("quarkus-smallrye-health")).isTrue();

    String health =
        "/"
            + service.effective("quarkus.http.non-application-root-path", "q")
            + "/"
            + service.effective("quarkus.smallrye-health.root-path", "health");
    String live = health + "/" + service.effective("quarkus.smallrye-health.liveness-path", "live");
    String ready =
        health + "/" + service.effective("quarkus.smallrye-health.readiness-path", "ready");
    assertProbe(container, container.getLivenessProbe(), live, port);
    assertProbe(container, container.getStartupProbe(), live, port);
    assertProbe(container, container.getReadinessProbe(), ready, port);
  }

  @ParameterizedTest(name = "{1} in {0}")
  @MethodSource("servicesInEachOverlay")
  void shouldPointPrometheusAtTheMetricsEndpoint(String overlay, String name) {
    Service service = new Service(name);
    Map<String, String> annotations =
        Rendered.of(overlay).pods(name).getMetadata().getAnnotations();

    assertThat(annotations)
        .containsEntry(
            "prometheus.io/path", service.property("quarkus.micrometer.export.prometheus.path"))
        .containsEntry("prometheus.io/port", service.effective("quarkus.http.port", "8080"));
  }

  @ParameterizedTest(name = "{1} in {0}")
  @MethodSource("servicesInEachOverlay")
  void shouldSetOnlyVariablesTheServiceReads(String overlay, String name) {
    Service service = new Service(name);
    Map<String, String> env = Rendered.of(overlay).environment(name);
    Set<String> read = new TreeSet<>(service.propertyVariables());
    read.addAll(service.composeVariables());
    read.addAll(service.imageEnvironment().keySet());

    assertThat(env.keySet()).as("variables %s reads", name).isSubsetOf(read);
    // What compose refuses to start without (${NAME:?...}) comes from a Secret here.
    for (String required : requiredByCompose(service)) {
      assertThat(env.get(required)).as(required).startsWith("secret:");
    }
  }

  @ParameterizedTest(name = "{1} in {0}")
  @MethodSource("servicesInEachOverlay")
  void shouldKeepTheImagesJavaOptions(String overlay, String name) {
    Service service = new Service(name);
    String javaOptions = Rendered.of(overlay).environment(name).get("JAVA_OPTS");
    if (javaOptions == null) return;

    assertThat(javaOptions.split("\\s+"))
        .as("JAVA_OPTS replaces the image's own: it must keep each of its options")
        .contains(service.imageEnvironment().get("JAVA_OPTS").split("\\s+"));
  }

  @SuppressWarnings("unchecked")
  private static Set<String> requiredByCompose(Service service) {
    Map<String, Object> environment = (Map<String, Object>) service.compose().get("environment");
    Set<String> required = new TreeSet<>();
    environment.forEach(
        (key, value) -> {
          if (String.valueOf(value).matches("^\\$\\{[A-Z0-9_]+:\\?.*")) required.add(key);
        });
    return required;
  }

  private static void assertProbe(Container container, Probe probe, String path, int port) {
    assertThat(probe).as(container.getName() + " probe of " + path).isNotNull();
    HTTPGetAction get = probe.getHttpGet();
    assertThat(get.getPath()).isEqualTo(path);
    assertThat(portNumber(container, get.getPort())).isEqualTo(port);
  }

  private static int portNumber(Container container, IntOrString port) {
    if (port.getIntVal() != null) return port.getIntVal();
    return container.getPorts().stream()
        .filter(p -> port.getStrVal().equals(p.getName()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no container port named " + port.getStrVal()))
        .getContainerPort();
  }

  private static String repository(String image) {
    int colon = image.lastIndexOf(':');
    return colon > image.lastIndexOf('/') ? image.substring(0, colon) : image;
  }

  private static String tag(String image) {
    int colon = image.lastIndexOf(':');
    return colon > image.lastIndexOf('/') ? image.substring(colon + 1) : "latest";
  }

  @SuppressWarnings("unchecked")
  private static String cudaFlavour(Service service) {
    Map<String, Object> build = (Map<String, Object>) service.compose().get("build");
    String arg = String.valueOf(((Map<String, Object>) build.get("args")).get("PYTORCH_FLAVOR"));
    Matcher m = Pattern.compile("^\\$\\{PYTORCH_FLAVOR:-([a-z0-9]+)}$").matcher(arg);
    assertThat(m.matches()).as(arg).isTrue();
    return m.group(1);
  }

  /** docker-compose.cpu.yml's build argument (read with Jackson: SnakeYAML refuses its !reset). */
  private static String cpuFlavour(String name) {
    try {
      JsonNode cpu =
          new YAMLMapper().readTree(Repository.ROOT.resolve("docker-compose.cpu.yml").toFile());
      return cpu.path("services")
          .path(name)
          .path("build")
          .path("args")
          .path("PYTORCH_FLAVOR")
          .asText();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
