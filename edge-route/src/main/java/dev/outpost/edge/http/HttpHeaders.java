package dev.outpost.edge.http;

import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.springboot.PlatformHttpMessage;

/** Header rules for routes that take HTTP input. */
public final class HttpHeaders {
  /**
   * The only inbound headers a route keeps (first step of every HTTP route): anything else a client
   * sends, e.g. a forged {@code CamelJmsDestinationName}, is dropped before it can steer an
   * endpoint.
   */
  public static final String[] INBOUND_ALLOWED = {
    Exchange.HTTP_METHOD,
    Exchange.HTTP_PATH,
    Exchange.HTTP_URI,
    Exchange.CONTENT_TYPE,
    Exchange.CONTENT_LENGTH,
    "Accept"
  };

  private HttpHeaders() {}

  /** {@link #INBOUND_ALLOWED} and a route's own parameters (path and query values). */
  public static String[] inboundAllowedPlus(String... names) {
    String[] all = java.util.Arrays.copyOf(INBOUND_ALLOWED, INBOUND_ALLOWED.length + names.length);
    System.arraycopy(names, 0, all, INBOUND_ALLOWED.length, names.length);
    return all;
  }

  /**
   * The client's address as the servlet container saw it (never a header the client could forge),
   * or null when the exchange did not come in over HTTP.
   */
  public static String clientAddress(Exchange exchange) {
    PlatformHttpMessage http = exchange.getIn(PlatformHttpMessage.class);
    return http == null || http.getRequest() == null ? null : http.getRequest().getRemoteAddr();
  }

  /** Sets a JSON answer with no other headers (nothing internal leaks into the response). */
  public static void respondJson(Exchange exchange, int status, String body) {
    exchange.getMessage().removeHeaders("*");
    exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
    exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
    exchange.getMessage().setBody(body);
  }
}
