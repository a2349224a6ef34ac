package dev.outpost.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Locale;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Two rules Jolokia's policy file cannot express. Strict CORS: a request carrying an
 * {@code Origin} header (a browser) is refused unless the origin is a local page
 * (127.0.0.1/localhost), so another site cannot ride a cached basic-auth login; server-side
 * callers (the console's proxy) send none. Read-only viewers: a Jolokia request of type other
 * than read/list/search/version (GET path or POST body, bulk included) needs the ops role.
 */
public class JolokiaGuardFilter extends OncePerRequestFilter {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_BODY = 1 << 20;
  private static final java.util.regex.Pattern LOCAL_ORIGIN =
      java.util.regex.Pattern.compile("https?://(127\\.0\\.0\\.1|localhost)(:[0-9]{1,5})?");
  private final String writerRole;

  public JolokiaGuardFilter(String writerRole) {
    this.writerRole = "ROLE_" + writerRole;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !request.getRequestURI().startsWith("/actuator/jolokia");
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String origin = request.getHeader("Origin");
    if (origin != null && !LOCAL_ORIGIN.matcher(origin).matches()) {
      response.sendError(HttpServletResponse.SC_FORBIDDEN, "origin not allowed");
      return;
    }
    Authentication auth = SecurityContextHolder.getContext().getAuthentication();
    boolean writer =
        auth != null && auth.getAuthorities().stream().anyMatch(a -> writerRole.equals(a.getAuthority()));
    if (writer) {
      chain.doFilter(request, response);
      return;
    }
    if ("POST".equalsIgnoreCase(request.getMethod())) {
      byte[] body = request.getInputStream().readNBytes(MAX_BODY + 1);
      if (body.length > MAX_BODY || changes(body)) {
        response.sendError(HttpServletResponse.SC_FORBIDDEN, "read-only login: exec and write need the ops role");
        return;
      }
      chain.doFilter(new Replayed(request, body), response);
      return;
    }
    String path = request.getRequestURI().substring("/actuator/jolokia".length()).toLowerCase(Locale.ROOT);
    boolean reading =
        path.isEmpty() || path.equals("/") || path.startsWith("/read") || path.startsWith("/list")
            || path.startsWith("/search") || path.startsWith("/version");
    if (!reading) {
      response.sendError(HttpServletResponse.SC_FORBIDDEN, "read-only login: exec and write need the ops role");
      return;
    }
    chain.doFilter(request, response);
  }

  private static boolean changes(byte[] body) {
    if (body.length == 0) {
      return false;
    }
    try {
      JsonNode doc = JSON.readTree(body);
      if (doc.isArray()) {
        for (JsonNode r : doc) {
          if (changing(r)) {
            return true;
          }
        }
        return false;
      }
      return changing(doc);
    } catch (IOException e) {
      return true; // what cannot be read cannot be cleared
    }
  }

  private static boolean changing(JsonNode request) {
    String type = request.path("type").asText("").toLowerCase(Locale.ROOT);
    return !(type.equals("read") || type.equals("list") || type.equals("search") || type.equals("version"));
  }

  /** The request with its already-read body served again to Jolokia. */
  private static final class Replayed extends HttpServletRequestWrapper {
    private final byte[] body;

    Replayed(HttpServletRequest request, byte[] body) {
      super(request);
      this.body = body;
    }

    @Override
    public ServletInputStream getInputStream() {
      ByteArrayInputStream in = new ByteArrayInputStream(body);
      return new ServletInputStream() {
        @Override
        public int read() {
          return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
          return in.read(b, off, len);
        }

        @Override
        public boolean isFinished() {
          return in.available() == 0;
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
          throw new UnsupportedOperationException();
        }
      };
    }

    @Override
    public java.io.BufferedReader getReader() {
      return new java.io.BufferedReader(
          new java.io.InputStreamReader(getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
    }
  }
}
