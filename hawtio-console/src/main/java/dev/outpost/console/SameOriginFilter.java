package dev.outpost.console;

import dev.outpost.support.ProblemResponse;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import org.springframework.security.web.util.matcher.AntPathRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * CSRF guard for the Jolokia paths, which Hawtio calls without a CSRF token: a request whose {@code
 * Origin} (or, lacking one, {@code Referer}) names another site is refused. Browsers send Origin on
 * every cross-site POST, so a foreign page cannot make a logged-in operator's browser execute JMX
 * operations; scripts with basic auth send neither header.
 */
final class SameOriginFilter extends OncePerRequestFilter {
  private final List<RequestMatcher> paths;

  SameOriginFilter(String[] patterns) {
    this.paths =
        Arrays.stream(patterns).map(p -> (RequestMatcher) new AntPathRequestMatcher(p)).toList();
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return paths.stream().noneMatch(m -> m.matches(request));
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String origin = request.getHeader("Origin");
    if (origin == null && request.getHeader("Referer") != null) {
      URI referer = URI.create(request.getHeader("Referer"));
      origin = referer.getScheme() + "://" + referer.getRawAuthority();
    }
    if (origin != null && !origin.equalsIgnoreCase(self(request))) {
      ProblemResponse.send(
          response,
          HttpServletResponse.SC_FORBIDDEN,
          "foreign-origin",
          "Origin not allowed",
          "cross-site request refused: only the console's own pages may call Jolokia");
      return;
    }
    chain.doFilter(request, response);
  }

  private static String self(HttpServletRequest request) {
    int port = request.getServerPort();
    boolean defaultPort =
        ("http".equals(request.getScheme()) && port == 80)
            || ("https".equals(request.getScheme()) && port == 443);
    return request.getScheme() + "://" + request.getServerName() + (defaultPort ? "" : ":" + port);
  }
}
