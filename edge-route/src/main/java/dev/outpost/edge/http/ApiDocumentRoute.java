package dev.outpost.edge.http;

import dev.outpost.contracts.ApiDocument;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * GET /api/v1/openapi.yaml: the terminal's OpenAPI document exactly as the contracts jar ships it
 * ({@link ApiDocument#EDGE}); /api/v1/openapi.json: the same document as JSON, for the API page at
 * /operator/api.html (plain JS, no YAML parser, no CDN).
 */
@Component
public class ApiDocumentRoute extends RouteBuilder {
  public static final String YAML = "direct:openapi-yaml";
  public static final String JSON = "direct:openapi-json";
  public static final String RESOURCE = ApiDocument.EDGE;
  static final String YAML_MEDIA_TYPE = "application/yaml";

  private final ApiDocument document = ApiDocument.load(RESOURCE);

  @Override
  public void configure() {
    from(YAML)
        .routeId("openapi-yaml")
        .routeConfigurationId(ProblemRouteConfiguration.ID)
        .removeHeaders("*")
        .id("openapi-yaml-drop-headers")
        .process(e -> answer(e, YAML_MEDIA_TYPE, document.yaml()))
        .id("openapi-yaml-answer");
    from(JSON)
        .routeId("openapi-json")
        .routeConfigurationId(ProblemRouteConfiguration.ID)
        .removeHeaders("*")
        .id("openapi-json-drop-headers")
        .process(e -> answer(e, "application/json", document.json()))
        .id("openapi-json-answer");
  }

  private static void answer(Exchange e, String mediaType, String body) {
    e.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
    e.getMessage().setHeader(Exchange.CONTENT_TYPE, mediaType);
    e.getMessage().setBody(body);
  }
}
