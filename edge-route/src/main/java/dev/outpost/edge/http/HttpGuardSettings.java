package dev.outpost.edge.http;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** {@code outpost.http.*}: who the terminal's HTTP side answers to (see {@link HttpGuards}). */
@ConfigurationProperties("outpost.http")
public record HttpGuardSettings(
    List<String> allowedHosts,
    List<String> allowedOrigins,
    @DefaultValue("64") int maxInFlightPerClient) {
  public HttpGuardSettings {
    allowedHosts = clean(allowedHosts);
    allowedOrigins = clean(allowedOrigins);
    if (maxInFlightPerClient < 1) {
      throw new IllegalStateException(
          "outpost.http.max-in-flight-per-client (OUTPOST_HTTP_MAX_IN_FLIGHT) must be >= 1");
    }
  }

  private static List<String> clean(List<String> values) {
    return values == null
        ? List.of()
        : values.stream().map(String::trim).filter(v -> !v.isEmpty()).toList();
  }
}
