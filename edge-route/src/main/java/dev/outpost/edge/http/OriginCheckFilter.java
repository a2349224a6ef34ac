package dev.outpost.edge.http;

import dev.outpost.support.ProblemResponse;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * 403 problem+json for a state-changing request (POST, PUT, PATCH, DELETE) whose {@code Origin} is
 * present and is not the terminal's own: a page elsewhere in the till's browser must not record a
 * sale or pause forwarding. Own means http://&lt;one of {@link LocalHosts}&gt;:&lt;this port&gt;
 * (the operator page served at /), or one of {@code outpost.http.allowed-origins}. POS apps that
 * are not browsers send no Origin and pass. Jolokia is left to its own origin rule ({@code
 * JolokiaGuardFilter}), which the console's proxy relies on.
 */
public class OriginCheckFilter extends OncePerRequestFilter {
  private static final Set<String> CHANGING = Set.of("POST", "PUT", "PATCH", "DELETE");
  private final LocalHosts hosts;
  private final Set<String> extraOrigins;

  public OriginCheckFilter(LocalHosts hosts, List<String> extraOrigins) {
    this.hosts = hosts;
    this.extraOrigins =
        Set.copyOf(extraOrigins.stream().map(OriginCheckFilter::normalize).toList());
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !CHANGING.contains(request.getMethod().toUpperCase(Locale.ROOT))
        || request.getRequestURI().startsWith("/actuator/jolokia");
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String origin = request.getHeader("Origin");
    if (origin != null && !isOwn(origin, request.getLocalPort())) {
      ProblemResponse.send(
          response,
          403,
          "foreign-origin",
          "Origin not allowed",
          "Only the terminal's own page may change its state from a browser.");
      return;
    }
    chain.doFilter(request, response);
  }

  boolean isOwn(String origin, int localPort) {
    String o = normalize(origin);
    if (extraOrigins.contains(o)) {
      return true;
    }
    try {
      URI uri = new URI(o);
      return "http".equals(uri.getScheme())
          && uri.getHost() != null
          && uri.getPort() == localPort
          && (uri.getPath() == null || uri.getPath().isEmpty())
          && hosts.allowsHost(uri.getHost());
    } catch (java.net.URISyntaxException e) {
      return false;
    }
  }

  private static String normalize(String origin) {
    String o = origin.trim().toLowerCase(Locale.ROOT);
    return o.endsWith("/") ? o.substring(0, o.length() - 1) : o;
  }
}
