package dev.outpost.edge.http;

import dev.outpost.support.ProblemResponse;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * 421 problem+json for a request whose {@code Host} is not one of {@link LocalHosts}: a web page on
 * a name that its DNS rebinds to this terminal's address must not be served (its script would then
 * read member data or post sales as if it were the till). Every path, health included. A request
 * without a Host header (HTTP/1.0 tools) passes: browsers always send one.
 */
public class HostCheckFilter extends OncePerRequestFilter {
  private final LocalHosts hosts;

  public HostCheckFilter(LocalHosts hosts) {
    this.hosts = hosts;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String host = request.getHeader("Host");
    if (host != null && !hosts.allowsHostHeader(host)) {
      ProblemResponse.send(
          response,
          421,
          "misdirected-request",
          "Misdirected request",
          "This terminal does not answer to that host name; use http://127.0.0.1:<port>/"
              + " or add the name to OUTPOST_HTTP_ALLOWED_HOSTS.");
      return;
    }
    chain.doFilter(request, response);
  }
}
