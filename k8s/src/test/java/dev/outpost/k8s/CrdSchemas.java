package dev.outpost.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Custom resources against the openAPIV3Schema of their published CRD (committed under
 * src/test/resources/crds with its source and version). The API server prunes or, with strict field
 * validation, rejects fields a structural schema does not declare; JSON Schema would let them
 * through, so every object schema that declares properties and does not preserve unknown fields is
 * closed ({@code additionalProperties: false}) before validating. CEL rules ({@code
 * x-kubernetes-validations}) are not evaluated here.
 */
final class CrdSchemas {
  /** apiVersion/kind -> CRD file and the served version. */
  static final Map<String, String> CRDS =
      Map.of(
          "postgresql.cnpg.io/v1/Cluster", "crds/postgresql.cnpg.io_clusters.yaml",
          "postgresql.cnpg.io/v1/ScheduledBackup", "crds/postgresql.cnpg.io_scheduledbackups.yaml");

  private static final Map<String, JsonSchema> SCHEMAS = new ConcurrentHashMap<>();

  private CrdSchemas() {}

  static boolean covers(JsonNode doc) {
    return CRDS.containsKey(StrictModel.key(doc));
  }

  static Set<String> validate(JsonNode doc) {
    JsonSchema schema = SCHEMAS.computeIfAbsent(StrictModel.key(doc), CrdSchemas::load);
    Set<String> out = new TreeSet<>();
    for (ValidationMessage m : schema.validate(doc)) {
      out.add(m.getMessage());
    }
    return out;
  }

  private static JsonSchema load(String key) {
    String resource = CRDS.get(key);
    String version = key.split("/")[1];
    try (InputStream in = CrdSchemas.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing " + resource);
      }
      JsonNode crd = Kustomize.YAML.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      for (JsonNode v : crd.path("spec").path("versions")) {
        if (v.path("name").asText().equals(version)) {
          ObjectNode schema = v.path("schema").path("openAPIV3Schema").deepCopy();
          close(schema);
          return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(schema);
        }
      }
      throw new IllegalStateException(resource + " serves no version " + version);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** additionalProperties false on every object schema with properties (see the class comment). */
  static void close(JsonNode node) {
    if (node instanceof ObjectNode o) {
      if (o.has("properties")
          && !o.has("additionalProperties")
          && !o.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
        o.put("additionalProperties", false);
      }
      Iterator<JsonNode> children = o.elements();
      while (children.hasNext()) {
        close(children.next());
      }
    } else if (node != null && node.isArray()) {
      node.forEach(CrdSchemas::close);
    }
  }
}
