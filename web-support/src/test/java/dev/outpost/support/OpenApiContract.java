package dev.outpost.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * An app's OpenAPI document (from contracts: {@code openapi/edge-api.yaml} for the terminal, {@code
 * openapi/central-admin-api.yaml} for central) as a test oracle: {@link #check} fails a test whose
 * answer the document does not describe (path, method, status, media type) and validates JSON
 * bodies against the documented schema with the networknt validator (draft 2020-12, the dialect of
 * OpenAPI 3.1 and of the contracts' JSON Schemas). Every checked answer is remembered, so a test
 * can ask which documented answers it saw.
 */
public final class OpenApiContract {
  static final List<String> METHODS = List.of("get", "post", "put", "patch", "delete");
  private static final Map<String, OpenApiContract> BY_RESOURCE = new ConcurrentHashMap<>();

  /** Bodies read with exact decimals, as the apps write them. */
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private final String resource;
  private final String location;
  private final JsonNode doc;
  private final JsonSchemaFactory factory =
      JsonSchemaFactory.getInstance(
          SpecVersion.VersionFlag.V202012,
          b ->
              b.schemaMappers(
                  m -> m.mapPrefix("https://outpost.dev/schemas/", "classpath:schemas/")));
  private final SchemaValidatorsConfig config =
      SchemaValidatorsConfig.builder()
          .pathType(PathType.JSON_POINTER)
          .formatAssertionsEnabled(true)
          .build();
  private final Map<String, JsonSchema> schemas = new ConcurrentHashMap<>();
  private final List<Answer> observed = Collections.synchronizedList(new ArrayList<>());

  /** One documented (or seen) answer: method, path template, status, media type. */
  public record Answer(String method, String path, int status, String mediaType) {
    @Override
    public String toString() {
      return method + " " + path + " " + status + " " + mediaType;
    }
  }

  private OpenApiContract(String resource) {
    this.resource = resource;
    this.location = "classpath:" + resource;
    try (InputStream in = OpenApiContract.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is not on the test classpath");
      }
      doc = yaml().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** YAML read with exact decimals (3.50 stays 3.50), like the terminal's JSON. */
  public static YAMLMapper yaml() {
    return YAMLMapper.builder()
        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
        .build();
  }

  /** The oracle of one document (a classpath resource), shared by every test of the JVM. */
  public static OpenApiContract of(String resource) {
    return BY_RESOURCE.computeIfAbsent(resource, OpenApiContract::new);
  }

  public String resource() {
    return resource;
  }

  public JsonNode document() {
    return doc;
  }

  /** "METHOD /path/{}" of every documented operation (path parameters as {}). */
  public Set<String> operations() {
    Set<String> out = new LinkedHashSet<>();
    doc.get("paths")
        .fields()
        .forEachRemaining(
            p -> {
              for (String m : METHODS) {
                if (p.getValue().has(m)) {
                  out.add(m.toUpperCase(Locale.ROOT) + " " + anonymous(p.getKey()));
                }
              }
            });
    return out;
  }

  /**
   * Every documented answer: each operation's statuses, each with its media types ("" for none).
   */
  public Set<Answer> answers() {
    Set<Answer> out = new LinkedHashSet<>();
    doc.get("paths")
        .fields()
        .forEachRemaining(
            p -> {
              for (String m : METHODS) {
                JsonNode op = p.getValue().get(m);
                if (op == null) {
                  continue;
                }
                op.get("responses")
                    .fields()
                    .forEachRemaining(
                        r -> {
                          JsonNode content = response(r.getValue()).path("content");
                          if (content.isEmpty()) {
                            out.add(
                                new Answer(
                                    m.toUpperCase(Locale.ROOT),
                                    p.getKey(),
                                    Integer.parseInt(r.getKey()),
                                    ""));
                          }
                          content
                              .fieldNames()
                              .forEachRemaining(
                                  mt ->
                                      out.add(
                                          new Answer(
                                              m.toUpperCase(Locale.ROOT),
                                              p.getKey(),
                                              Integer.parseInt(r.getKey()),
                                              mt)));
                        });
              }
            });
    return out;
  }

  /** Answers checked so far in this JVM, in order. */
  public List<Answer> observed() {
    synchronized (observed) {
      return List.copyOf(observed);
    }
  }

  /**
   * Fails unless the document describes this answer of the terminal; a JSON body must match the
   * documented schema. Paths outside /api/v1 are not the document's and pass unchecked.
   */
  public void check(String method, URI uri, int status, String contentType, String body) {
    String path = uri.getRawPath();
    if (!path.startsWith("/api/v1/")) {
      return;
    }
    String m = method.toLowerCase(Locale.ROOT);
    String template = template(path).orElse(null);
    assertThat(template).as("%s %s is not in %s", method, path, resource).isNotNull();
    JsonNode op = doc.get("paths").get(template).get(m);
    assertThat(op).as("%s %s: method not in %s", method, template, resource).isNotNull();
    JsonNode response = op.get("responses").get(Integer.toString(status));
    assertThat(response)
        .as(
            "%s %s answered %d, which %s does not list (body %s)",
            method, template, status, resource, body)
        .isNotNull();
    String resolved = responsePointer(template, m, status, response);
    JsonNode content = response(response).path("content");
    String mediaType = mediaType(contentType);
    boolean hasBody = body != null && !body.isEmpty();
    if (content.isEmpty()) {
      assertThat(hasBody)
          .as("%s %s %d: the document says no content, got %s", method, template, status, body)
          .isFalse();
      observed.add(new Answer(method.toUpperCase(Locale.ROOT), template, status, ""));
      return;
    }
    assertThat(content.has(mediaType))
        .as(
            "%s %s %d: media type %s not documented (%s)",
            method, template, status, mediaType, content.fieldNames())
        .isTrue();
    observed.add(new Answer(method.toUpperCase(Locale.ROOT), template, status, mediaType));
    if (mediaType.equals("application/json") || mediaType.endsWith("+json")) {
      JsonSchema schema =
          schemas.computeIfAbsent(
              resolved + "/content/" + escape(mediaType) + "/schema",
              pointer -> factory.getSchema(SchemaLocation.of(location + "#" + pointer), config));
      JsonNode instance;
      try {
        instance = JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError(method + " " + path + " " + status + ": not JSON: " + body, e);
      }
      Set<ValidationMessage> errors = schema.validate(instance);
      assertThat(errors)
          .as("%s %s %d does not match %s: %s", method, path, status, resource, body)
          .isEmpty();
    }
  }

  /** {@link #check(String, URI, int, String, String)} of an HTTP client's exchange; answers it. */
  public HttpResponse<String> check(HttpRequest request, HttpResponse<String> response) {
    check(
        request.method(),
        request.uri(),
        response.statusCode(),
        response.headers().firstValue("Content-Type").orElse(null),
        response.body());
    return response;
  }

  /**
   * The documented path template matching a concrete path, if any; of several, the one with the
   * fewest parameters (as OpenAPI says: /masterdata/products/{id} before /masterdata/{set}/{id}).
   */
  public Optional<String> template(String path) {
    Iterator<String> names = doc.get("paths").fieldNames();
    String best = null;
    while (names.hasNext()) {
      String t = names.next();
      String regex = Pattern.quote(t).replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q");
      if (path.matches(regex) && (best == null || parameters(t) < parameters(best))) {
        best = t;
      }
    }
    return Optional.ofNullable(best);
  }

  private static long parameters(String template) {
    return template.chars().filter(c -> c == '{').count();
  }

  public static String anonymous(String template) {
    return template.replaceAll("\\{[^}]+}", "{}");
  }

  private String responsePointer(String template, String method, int status, JsonNode response) {
    if (response.has("$ref")) {
      return response.get("$ref").asText().substring(1);
    }
    return "/paths/" + escape(template) + "/" + method + "/responses/" + status;
  }

  private JsonNode response(JsonNode response) {
    return response.has("$ref") ? at(response.get("$ref").asText().substring(1)) : response;
  }

  private JsonNode at(String pointer) {
    return doc.at(pointer);
  }

  private static String escape(String token) {
    return token.replace("~", "~0").replace("/", "~1");
  }

  private static String mediaType(String contentType) {
    if (contentType == null) {
      return "";
    }
    int semi = contentType.indexOf(';');
    return (semi < 0 ? contentType : contentType.substring(0, semi))
        .trim()
        .toLowerCase(Locale.ROOT);
  }
}
