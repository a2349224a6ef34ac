package dev.outpost.edge.http;

import dev.outpost.contracts.Violation;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.StreamCacheException;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The one error policy of the HTTP-facing routes: a {@link ProblemException} becomes its
 * problem+json answer; anything else becomes a 500 problem without internals.
 */
@Component
public class ProblemRouteConfiguration extends RouteConfigurationBuilder {
  /** Routes answering HTTP name this with {@code routeConfigurationId(...)}. */
  public static final String ID = "http-problems";

  private static final Logger LOG = LoggerFactory.getLogger(ProblemRouteConfiguration.class);

  @Override
  public void configuration() {
    routeConfiguration(ID)
        .onException(ProblemException.class)
        .id("on-problem")
        .handled(true)
        .process(ProblemRouteConfiguration::render)
        .id("answer-problem-json")
        .end()
        // The request body could not be read: bytes that are not UTF-8 (Tomcat's reader gives
        // up on them), or a client that went away mid-body. The client's fault, nothing recorded.
        .onException(StreamCacheException.class)
        .id("on-unreadable-body")
        .handled(true)
        .process(ProblemRouteConfiguration::renderUnreadable)
        .id("answer-400-unreadable")
        .end()
        .onException(Exception.class)
        .id("on-unexpected-failure")
        .handled(true)
        .process(ProblemRouteConfiguration::renderUnexpected)
        .id("answer-500-problem")
        .end();
  }

  private static void render(Exchange exchange) {
    Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
    if (!(caught instanceof ProblemException p)) {
      renderUnexpected(exchange);
      return;
    }
    respond(
        exchange,
        p.status(),
        Problems.json(p.status(), p.slug(), p.title(), p.getMessage(), p.errors()));
    if (p.retryAfterSeconds() != null) {
      exchange.getMessage().setHeader("Retry-After", Long.toString(p.retryAfterSeconds()));
    }
  }

  private static void renderUnreadable(Exchange exchange) {
    String detail = "The body could not be read as UTF-8 text; an operation is UTF-8 JSON";
    respond(
        exchange,
        400,
        Problems.json(
            400, "malformed-json", "Malformed JSON", detail, List.of(new Violation("", detail))));
  }

  private static void renderUnexpected(Exchange exchange) {
    Throwable e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
    LOG.error("Unexpected failure in route {}", exchange.getFromRouteId(), e);
    respond(
        exchange,
        500,
        Problems.json(
            500,
            "internal",
            "Internal error",
            "The terminal could not handle the request; it was not recorded.",
            List.of()));
  }

  static void respond(Exchange exchange, int status, String body) {
    exchange.getMessage().removeHeaders("*");
    exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
    exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, Problems.MEDIA_TYPE);
    exchange.getMessage().setBody(body);
  }
}
