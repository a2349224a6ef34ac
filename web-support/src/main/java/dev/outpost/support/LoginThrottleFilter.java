package dev.outpost.support;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Throttles HTTP basic logins. Placed just before Spring Security's BasicAuthenticationFilter: a
 * request with basic credentials for a user or from an address that is locked out gets 429 with
 * {@code Retry-After} without its password being checked; a request whose credentials were refused
 * (401) counts as a failure for its user and its address; any other answer is a right login and
 * clears the user's count.
 */
public class LoginThrottleFilter extends OncePerRequestFilter {
  private final LoginThrottle throttle;

  public LoginThrottleFilter(LoginThrottle throttle) {
    this.throttle = throttle;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String user = basicUser(request.getHeader("Authorization"));
    if (user == null) {
      chain.doFilter(request, response);
      return;
    }
    String address = request.getRemoteAddr();
    Optional<Duration> locked = throttle.lockedFor(user, address);
    if (locked.isPresent()) {
      ProblemResponse.tooManyRequests(
          response, locked.get(), "Too many failed logins; try again later.");
      return;
    }
    chain.doFilter(request, response);
    if (response.getStatus() == HttpServletResponse.SC_UNAUTHORIZED) {
      throttle.failed(user, address);
    } else {
      throttle.succeeded(user);
    }
  }

  /** The user name of a {@code Basic} Authorization header, or null when there is none to read. */
  static String basicUser(String header) {
    if (header == null || header.length() < 6 || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      return null;
    }
    try {
      String decoded =
          new String(
              Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      return colon < 0 ? null : decoded.substring(0, colon);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
