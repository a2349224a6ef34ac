package dev.outpost.edge.http;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.outpost.contracts.Contracts;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * GET /api/v1/openapi.yaml: the terminal's OpenAPI document exactly as the contracts jar ships it
 * ({@value #RESOURCE}); /api/v1/openapi.json: the same document as JSON, for the API page at
 * /operator/api.html (plain JS, no YAML parser, no CDN).
 */
@Component
public class ApiDocumentRoute extends RouteBuilder {
  public static final String YAML = "direct:openapi-yaml";
  public static final String JSON = "direct:openapi-json";
  public static final String RESOURCE = "openapi/edge-api.yaml";
  static final String YAML_MEDIA_TYPE = "application/yaml";

  private final String yaml;
  private final String json;

  public ApiDocumentRoute() {
    this.yaml = load();
    try {
      // Exact decimals, as everywhere on the terminal: an example's 3.50 stays 3.50.
      YAMLMapper reader =
          YAMLMapper.builder()
              .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
              .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
              .build();
      JsonNode doc = reader.readTree(yaml);
      this.json = Contracts.mapper().writeValueAsString(doc);
    } catch (IOException e) {
      throw new UncheckedIOException("the OpenAPI document " + RESOURCE + " is not YAML", e);
    }
  }

  @Override
  public void configure() {
    from(YAML)
        .routeId("openapi-yaml")
        .routeConfigurationId(ProblemRouteConfiguration.ID)
        .removeHeaders("*")
        .id("openapi-yaml-drop-headers")
        .process(e -> answer(e, YAML_MEDIA_TYPE, yaml))
        .id("openapi-yaml-answer");
    from(JSON)
        .routeId("openapi-json")
        .routeConfigurationId(ProblemRouteConfiguration.ID)
        .removeHeaders("*")
        .id("openapi-json-drop-headers")
        .process(e -> answer(e, "application/json", json))
        .id("openapi-json-answer");
  }

  private static void answer(Exchange e, String mediaType, String body) {
    e.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
    e.getMessage().setHeader(Exchange.CONTENT_TYPE, mediaType);
    e.getMessage().setBody(body);
  }

  private static String load() {
    try (InputStream in = ApiDocumentRoute.class.getClassLoader().getResourceAsStream(RESOURCE)) {
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
