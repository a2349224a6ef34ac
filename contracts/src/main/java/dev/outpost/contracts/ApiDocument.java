package dev.outpost.contracts;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * An OpenAPI document shipped in {@code classpath:openapi/} as the apps serve it: the YAML exactly
 * as written, and the same document as JSON (for tools and pages without a YAML parser), with exact
 * decimals (an example's 3.50 stays 3.50).
 */
public record ApiDocument(String resource, String yaml, String json) {
  /** The terminal's API (edge). */
  public static final String EDGE = "openapi/edge-api.yaml";

  /** Central's admin API. */
  public static final String CENTRAL_ADMIN = "openapi/central-admin-api.yaml";

  /** Reads the document; fails when it is missing or not YAML, so an app without it won't start. */
  public static ApiDocument load(String resource) {
    String yaml;
    try (InputStream in = ApiDocument.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(
            resource + " is missing from the classpath (contracts jar)");
      }
      yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      YAMLMapper reader =
          YAMLMapper.builder()
              .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
              .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
              .build();
      return new ApiDocument(
          resource, yaml, Contracts.mapper().writeValueAsString(reader.readTree(yaml)));
    } catch (IOException e) {
      throw new UncheckedIOException("the OpenAPI document " + resource + " is not YAML", e);
    }
  }
}
