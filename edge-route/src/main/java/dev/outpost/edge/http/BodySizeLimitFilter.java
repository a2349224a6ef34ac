package dev.outpost.edge.http;

import dev.outpost.edge.config.EdgeProperties;
import dev.outpost.support.CachedBodyRequest;
import dev.outpost.support.ProblemResponse;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses API bodies over {@code outpost.ingest.max-body-bytes} with 413 before anything reads them
 * whole: by Content-Length when given, else by reading at most one byte past the limit (chunked
 * uploads). The routes check the size again.
 */
@Component
public class BodySizeLimitFilter extends OncePerRequestFilter {
  private final int maxBodyBytes;

  public BodySizeLimitFilter(EdgeProperties props) {
    this.maxBodyBytes = props.ingest().maxBodyBytes();
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !request.getRequestURI().startsWith(RestApiRoute.BASE + "/");
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    long declared = request.getContentLengthLong();
    if (declared > maxBodyBytes) {
      refuse(response);
      return;
    }
    if (declared < 0 && hasBody(request)) {
      byte[] body = request.getInputStream().readNBytes(maxBodyBytes + 1);
      if (body.length > maxBodyBytes) {
        refuse(response);
        return;
      }
      chain.doFilter(new CachedBodyRequest(request, body), response);
      return;
    }
    chain.doFilter(request, response);
  }

  private static boolean hasBody(HttpServletRequest request) {
    return request.getHeader("Transfer-Encoding") != null;
  }

  private void refuse(HttpServletResponse response) throws IOException {
    // The client may still be sending; ask to close rather than drain an unbounded body.
    response.setHeader("Connection", "close");
    ProblemResponse.send(
        response,
        413,
        "too-large",
        "Body too large",
        "The body exceeds the limit of " + maxBodyBytes + " bytes");
  }
}
