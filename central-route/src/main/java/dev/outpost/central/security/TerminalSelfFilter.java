package dev.outpost.central.security;

import dev.outpost.support.ProblemResponse;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A terminal's HTTP login acts only as itself: its master-data pulls must name it ({@code
 * ?terminal=<self>}) and it may register only its own key. People (ops, viewer) are not concerned.
 */
final class TerminalSelfFilter extends OncePerRequestFilter {
  private static final String KEY_PREFIX = "/api/v1/terminals/";

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    Authentication auth = SecurityContextHolder.getContext().getAuthentication();
    boolean terminal =
        auth != null
            && auth.getAuthorities().stream()
                .anyMatch(
                    a -> a.getAuthority().equals("ROLE_" + CentralSecurityConfiguration.TERMINAL));
    if (terminal && !actsAsItself(request, auth.getName())) {
      ProblemResponse.send(
          response,
          ProblemResponse.document(
              HttpServletResponse.SC_FORBIDDEN,
              "forbidden",
              "Forbidden",
              "a terminal may act only as itself"));
      return;
    }
    chain.doFilter(request, response);
  }

  private static boolean actsAsItself(HttpServletRequest request, String self) {
    String path = request.getRequestURI();
    if (path.startsWith(KEY_PREFIX)) {
      return path.equals(KEY_PREFIX + self + "/key");
    }
    String[] named = request.getParameterValues("terminal");
    return named != null && named.length == 1 && self.equals(named[0]);
  }
}
