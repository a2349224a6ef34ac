package dev.outpost.support;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.regex.Pattern;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Strict CORS for Jolokia, the one rule its policy cannot express without refusing the requests
 * that carry no {@code Origin} at all: a request with an {@code Origin} header (a browser) is
 * refused unless the origin is a local page (127.0.0.1/localhost), so another site cannot ride a
 * cached basic-auth login; server-side callers (the console's proxy, scripts) send none. What a
 * login may do inside Jolokia (viewer: read only) is Jolokia's own policy, per role: see {@link
 * JolokiaRoleRestrictor}.
 */
public class JolokiaGuardFilter extends OncePerRequestFilter {
  private static final Pattern LOCAL_ORIGIN =
      Pattern.compile("https?://(127\\.0\\.0\\.1|localhost)(:[0-9]{1,5})?");

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !request.getRequestURI().startsWith("/actuator/jolokia");
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String origin = request.getHeader("Origin");
    if (origin != null && !LOCAL_ORIGIN.matcher(origin).matches()) {
      ProblemResponse.send(
          response,
          HttpServletResponse.SC_FORBIDDEN,
          "foreign-origin",
          "Origin not allowed",
          "Jolokia answers a browser only on a local page (127.0.0.1, localhost).");
      return;
    }
    chain.doFilter(request, response);
  }
}
