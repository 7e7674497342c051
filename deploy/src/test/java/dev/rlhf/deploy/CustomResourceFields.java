package dev.rlhf.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.rlhf.deploy.StrictManifests.InvalidManifestException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The fields of the operators' custom resources that the manifests may use
 * (custom-resource-fields.yaml): the fabric8 model knows CloudNativePG's and Strimzi's kinds only
 * as generic resources, so their specs are checked here, with the same rule as for built-in kinds:
 * a field that is not known fails.
 */
final class CustomResourceFields {

  private record Schema(
      Set<String> fields,
      Set<String> freeForm,
      List<String> required,
      Map<String, Set<String>> values,
      Set<String> integers) {}

  private final Map<String, Schema> schemas;

  private CustomResourceFields(Map<String, Schema> schemas) {
    this.schemas = schemas;
  }

  static CustomResourceFields load() {
    try (InputStream in =
        CustomResourceFields.class.getResourceAsStream("/custom-resource-fields.yaml")) {
      JsonNode root = new YAMLMapper().readTree(in);
      Map<String, Schema> schemas = new HashMap<>();
      root.fields()
          .forEachRemaining(entry -> schemas.put(entry.getKey(), schema(entry.getValue())));
      return new CustomResourceFields(schemas);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Schema schema(JsonNode node) {
    Set<String> fields = new TreeSet<>();
    Set<String> freeForm = new TreeSet<>();
    for (String field : strings(node.path("fields"))) {
      if (field.endsWith(".*")) freeForm.add(field.substring(0, field.length() - 2));
      else fields.add(field);
    }
    Map<String, Set<String>> values = new HashMap<>();
    node.path("values")
        .fields()
        .forEachRemaining(e -> values.put(e.getKey(), new TreeSet<>(strings(e.getValue()))));
    return new Schema(
        fields,
        freeForm,
        strings(node.path("required")),
        values,
        new TreeSet<>(strings(node.path("integers"))));
  }

  private static List<String> strings(JsonNode list) {
    List<String> strings = new ArrayList<>();
    list.forEach(item -> strings.add(item.asText()));
    return strings;
  }

  boolean knows(String apiVersion, String kind) {
    return schemas.containsKey(apiVersion + " " + kind);
  }

  /**
   * Fails on a field not known for the kind, a value out of range, or (when {@code complete}) a
   * missing required field.
   */
  void check(String apiVersion, String kind, JsonNode document, String where, boolean complete) {
    Schema schema = schemas.get(apiVersion + " " + kind);
    document
        .fieldNames()
        .forEachRemaining(
            top -> {
              if (!Set.of("apiVersion", "kind", "metadata", "spec").contains(top)) {
                throw new InvalidManifestException(where + ": unknown field \"" + top + "\"");
              }
            });
    walk(schema, document.path("spec"), "spec", where);
    if (!complete) return;
    for (String required : schema.required()) {
      JsonNode value = document;
      for (String step : required.split("\\.")) value = value.path(step);
      if (value.isMissingNode() || value.isNull()) {
        throw new InvalidManifestException(where + ": " + required + " is required");
      }
    }
  }

  private void walk(Schema schema, JsonNode node, String path, String where) {
    if (schema.freeForm().contains(path)) return;
    if (node.isObject() && node.size() > 0) {
      node.fields()
          .forEachRemaining(e -> walk(schema, e.getValue(), path + "." + e.getKey(), where));
      return;
    }
    if (node.isArray()) {
      node.forEach(item -> walk(schema, item, path + "[]", where));
      return;
    }
    if (!schema.fields().contains(path)) {
      throw new InvalidManifestException(where + ": unknown field \"" + path + "\"");
    }
    Set<String> allowed = schema.values().get(path);
    if (allowed != null && !allowed.contains(node.asText())) {
      throw new InvalidManifestException(
          where + ": " + path + " is \"" + node.asText() + "\", not one of " + allowed);
    }
    if (schema.integers().contains(path) && !node.isIntegralNumber()) {
      throw new InvalidManifestException(where + ": " + path + " must be a whole number");
    }
  }
}
