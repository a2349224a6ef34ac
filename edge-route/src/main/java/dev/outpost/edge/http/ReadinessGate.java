package dev.outpost.edge.http;

import dev.outpost.support.ProblemResponse;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Tomcat opens the port before Camel's routes are up: for a second or two of every start a POST
 * would meet Spring's "no handler" 404, which a POS reads as "this endpoint does not exist". Until
 * the application is ready, every request but the health probes gets 503 with {@code Retry-After}:
 * "not yet, nothing recorded, try again".
 */
public class ReadinessGate extends OncePerRequestFilter
    implements ApplicationListener<ApplicationReadyEvent> {
  private volatile boolean ready;

  @Override
  public void onApplicationEvent(ApplicationReadyEvent event) {
    ready = true;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return ready || request.getRequestURI().startsWith("/actuator/health");
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (ready) {
      chain.doFilter(request, response);
      return;
    }
    response.setHeader("Retry-After", "1");
    ProblemResponse.send(
        response,
        503,
        "starting",
        "Starting",
        "The terminal is starting; nothing was recorded. Retry in a second.");
  }
}
