package dev.rlhf.deploy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads Kubernetes manifests the way an API server with strict field validation would: every
 * document must be a kind the fabric8 model knows (or one of the operators' custom resources in
 * {@link CustomResourceFields}), and a field that kind does not have fails instead of being kept
 * aside.
 *
 * <p>fabric8's model classes keep unknown fields in an {@code additionalProperties} map (a Jackson
 * any-setter), so {@code FAIL_ON_UNKNOWN_PROPERTIES} alone never fires; this mapper ignores the
 * any-setters, which makes an unknown field an error naming it and its path.
 */
final class StrictManifests {

  // A key written twice in one mapping is an error, not "the last one wins".
  private static final YAMLMapper YAML =
      YAMLMapper.builder().enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY).build();

  private final KubernetesSerialization kinds = new KubernetesSerialization();
  private final ObjectMapper strict = strictMapper();
  private final CustomResourceFields customResources = CustomResourceFields.load();

  private static ObjectMapper strictMapper() {
    ObjectMapper mapper = new ObjectMapper(new YAMLFactory());
    // Registers fabric8's modules and deserializers on this mapper.
    new KubernetesSerialization(mapper, false);
    mapper.setAnnotationIntrospector(
        new JacksonAnnotationIntrospector() {
          @Override
          public Boolean hasAnySetter(Annotated a) {
            return Boolean.FALSE;
          }
        });
    mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    mapper.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    return mapper;
  }

  /** Every document of a rendered (multi-document) YAML text, each checked in full. */
  List<HasMetadata> parse(String yaml, String source) {
    return parse(yaml, source, true);
  }

  /**
   * Every document of a file as written, which kustomize may complete (a patch, or a resource whose
   * required fields a patch adds): fields are checked, required ones are not.
   */
  List<HasMetadata> parseFragment(String yaml, String source) {
    return parse(yaml, source, false);
  }

  private List<HasMetadata> parse(String yaml, String source, boolean complete) {
    List<HasMetadata> resources = new ArrayList<>();
    try (var documents = YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml)) {
      int index = 0;
      while (documents.hasNext()) {
        JsonNode document = documents.next();
        index++;
        if (document == null || document.isNull() || document.isMissingNode()) continue;
        resources.add(parse(document, source + " document " + index, complete));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(source + ": not YAML", e);
    }
    return resources;
  }

  /** One document, checked against its kind's model. */
  private HasMetadata parse(JsonNode document, String source, boolean complete) {
    String apiVersion = document.path("apiVersion").asText("");
    String kind = document.path("kind").asText("");
    if (apiVersion.isEmpty() || kind.isEmpty()) {
      throw new InvalidManifestException(source + ": apiVersion and kind are required");
    }
    String where = source + " (" + kind + " " + document.path("metadata").path("name") + ")";
    Class<? extends KubernetesResource> type =
        kinds.getRegisteredKubernetesResource(apiVersion, kind);
    try {
      if (type != null
          && HasMetadata.class.isAssignableFrom(type)
          && type != GenericKubernetesResource.class) {
        return (HasMetadata) strict.treeToValue(document, type);
      }
      if (!customResources.knows(apiVersion, kind)) {
        throw new InvalidManifestException(
            where
                + ": "
                + apiVersion
                + " "
                + kind
                + " is neither a Kubernetes kind nor a custom"
                + " resource these manifests may use");
      }
      customResources.check(apiVersion, kind, document, where, complete);
      strict.treeToValue(document.path("metadata"), ObjectMeta.class);
      return kinds.convertValue(document, GenericKubernetesResource.class);
    } catch (IOException | IllegalArgumentException e) {
      throw new InvalidManifestException(where + ": " + e.getMessage(), e);
    }
  }

  /** A manifest that an API server with strict validation would refuse. */
  static final class InvalidManifestException extends RuntimeException {
    InvalidManifestException(String message) {
      super(message);
    }

    InvalidManifestException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
