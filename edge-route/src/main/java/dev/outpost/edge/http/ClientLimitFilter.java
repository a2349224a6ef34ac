package dev.outpost.edge.http;

import dev.outpost.support.ProblemResponse;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * At most {@code outpost.http.max-in-flight-per-client} requests to /api/** per client address at
 * once; one more gets 429 problem+json with {@code Retry-After: 1} instead of queueing behind the
 * others (a flooding client cannot starve the till's own requests or exhaust the threads). The API
 * answers asynchronously (Camel platform-http), so a request counts until its async processing
 * completes.
 */
public class ClientLimitFilter extends OncePerRequestFilter {
  private final int maxInFlight;
  private final ConcurrentHashMap<String, Integer> inFlight = new ConcurrentHashMap<>();

  public ClientLimitFilter(int maxInFlight) {
    this.maxInFlight = maxInFlight;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !request.getRequestURI().startsWith(RestApiRoute.BASE + "/");
  }

  /** Requests of this client address in flight now. */
  public int inFlight(String address) {
    return inFlight.getOrDefault(address, 0);
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String client = request.getRemoteAddr();
    if (inFlight.merge(client, 1, Integer::sum) > maxInFlight) {
      release(client);
      response.setHeader("Retry-After", "1");
      ProblemResponse.send(
          response,
          429,
          "too-many-requests",
          "Too many requests",
          "More than " + maxInFlight + " requests of this client at once; retry after a second.");
      return;
    }
    AtomicBoolean released = new AtomicBoolean();
    Runnable done =
        () -> {
          if (released.compareAndSet(false, true)) {
            release(client);
          }
        };
    try {
      chain.doFilter(request, response);
    } finally {
      if (request.isAsyncStarted()) {
        request.getAsyncContext().addListener(new Release(done));
      } else {
        done.run();
      }
    }
  }

  private void release(String client) {
    inFlight.computeIfPresent(client, (k, v) -> v <= 1 ? null : v - 1);
  }

  private record Release(Runnable done) implements AsyncListener {
    @Override
    public void onComplete(AsyncEvent event) {
      done.run();
    }

    @Override
    public void onTimeout(AsyncEvent event) {
      done.run();
    }

    @Override
    public void onError(AsyncEvent event) {
      done.run();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
      event.getAsyncContext().addListener(this);
    }
  }
}
