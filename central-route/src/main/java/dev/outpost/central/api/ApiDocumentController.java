package dev.outpost.central.api;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.outpost.contracts.Contracts;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * GET /api/v1/openapi.yaml: central's admin API document exactly as the contracts jar ships it
 * ({@value #RESOURCE}); /api/v1/openapi.json: the same as JSON, for tools without a YAML parser.
 * Read once at start-up, so a jar without the document does not start.
 */
@RestController
public class ApiDocumentController {
  public static final String RESOURCE = "openapi/central-admin-api.yaml";
  static final MediaType YAML = MediaType.parseMediaType("application/yaml");

  private final String yaml;
  private final String json;

  public ApiDocumentController() {
    this.yaml = load();
    try {
      // Exact decimals, as in every answer of central: an example's 3.50 stays 3.50.
      YAMLMapper reader =
          YAMLMapper.builder()
              .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
              .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
              .build();
      this.json = Contracts.mapper().writeValueAsString(reader.readTree(yaml));
    } catch (IOException e) {
      throw new UncheckedIOException("the OpenAPI document " + RESOURCE + " is not YAML", e);
    }
  }

  @GetMapping("/api/v1/openapi.yaml")
  public ResponseEntity<String> yaml() {
    return ResponseEntity.ok().contentType(YAML).body(yaml);
  }

  @GetMapping("/api/v1/openapi.json")
  public ResponseEntity<String> json() {
    return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(json);
  }

  private static String load() {
    try (InputStream in =
        ApiDocumentController.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            RESOURCE + " is missing from the classpath (contracts jar)");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
