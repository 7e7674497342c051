package dev.rlhf.deploy;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.yaml.snakeyaml.Yaml;

/**
 * What the repository itself says about the services, read from the files that define them
 * (application.properties, docker-compose.yml, the Dockerfiles, the poms), so that the manifests
 * are checked against the services and not against a second copy of their settings.
 */
final class Repository {

  /** The module directory is where Maven runs the tests; the repository is its parent. */
  static final Path ROOT = Path.of("").toAbsolutePath().getParent();

  static final Path KUBERNETES = ROOT.resolve("deploy/kubernetes");

  static final List<String> SERVICES =
      List.of("labeling-service", "model-runtime", "reward-trainer", "policy-trainer");

  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)");

  private Repository() {}

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every directory holding a kustomization (not a component): the base and the overlays. */
  static List<Path> kustomizations() {
    try (Stream<Path> files = Files.walk(KUBERNETES)) {
      return files
          .filter(f -> f.getFileName().toString().equals("kustomization.yaml"))
          .filter(f -> read(f).contains("kind: Kustomization"))
          .map(Path::getParent)
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every YAML file of the manifests, kustomization files aside. */
  static List<Path> manifestFiles() {
    try (Stream<Path> files = Files.walk(KUBERNETES)) {
      return files
          .filter(f -> f.toString().endsWith(".yaml"))
          .filter(f -> !f.getFileName().toString().equals("kustomization.yaml"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One service's own configuration: its module's application.properties and Dockerfile. */
  record Service(String name) {

    Path module() {
      return ROOT.resolve(name);
    }

    /** The line {@code key=value} without a profile, as written (null: not set). */
    String property(String key) {
      for (String line :
          read(module().resolve("src/main/resources/application.properties")).lines().toList()) {
        if (line.startsWith(key + "=")) return line.substring(key.length() + 1).strip();
      }
      return null;
    }

    /** What a property is when no environment variable overrides it; {@code fallback} if unset. */
    String effective(String key, String fallback) {
      String value = property(key);
      if (value == null) return fallback;
      Matcher m = Pattern.compile("^\\$\\{[A-Z0-9_]+:(.*)}$").matcher(value);
      return m.matches() ? m.group(1) : value;
    }

    /** Environment variables its application.properties reads ({@code ${NAME...}}). */
    Set<String> propertyVariables() {
      Set<String> names = new TreeSet<>();
      Matcher m =
          VARIABLE.matcher(read(module().resolve("src/main/resources/application.properties")));
      while (m.find()) names.add(m.group(1));
      return names;
    }

    Path dockerfile() {
      return module().resolve("src/main/docker/Dockerfile.jvm");
    }

    /** {@code ENV NAME=value} lines of its image, value unquoted. */
    Map<String, String> imageEnvironment() {
      Map<String, String> env = new java.util.TreeMap<>();
      for (String line : read(dockerfile()).lines().toList()) {
        Matcher m = Pattern.compile("^ENV ([A-Z_]+)=\"?(.*?)\"?$").matcher(line);
        if (m.matches()) env.put(m.group(1), m.group(2));
      }
      return env;
    }

    /** The port its image exposes. */
    int exposedPort() {
      return read(dockerfile())
          .lines()
          .filter(l -> l.startsWith("EXPOSE "))
          .map(l -> Integer.parseInt(l.substring(7).strip()))
          .findFirst()
          .orElseThrow();
    }

    boolean dependsOn(String artifactId) {
      return read(module().resolve("pom.xml"))
          .contains("<artifactId>" + artifactId + "</artifactId>");
    }

    /** Its service in docker-compose.yml (anchors and merge keys resolved). */
    Map<String, Object> compose() {
      return composeServices("docker-compose.yml").get(name);
    }

    /** The environment variables compose gives it. */
    @SuppressWarnings("unchecked")
    Set<String> composeVariables() {
      Map<String, Object> environment = (Map<String, Object>) compose().get("environment");
      return environment == null ? Set.of() : new TreeSet<>(environment.keySet());
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Map<String, Object>> composeServices(String file) {
    try (Reader reader = Files.newBufferedReader(ROOT.resolve(file))) {
      Map<String, Object> compose = new Yaml().load(reader);
      return (Map<String, Map<String, Object>>) compose.get("services");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
