package dev.outpost.console.ops;

import dev.outpost.support.ProblemResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

/**
 * The ops pages' only way to data: {@code /ops/api/<path>} is forwarded to central's admin API
 * {@code /api/v1/<path>} with the logged-in person's own login (HTTP basic), so central decides
 * what this person may do and its audit rows name them, exactly as with curl. The console holds no
 * data and no service account. Only the answer's status, media type, Location and Retry-After come
 * back (never WWW-Authenticate: the browser must not prompt for central's login).
 */
@RestController
public class CentralApiProxy {
  private static final Logger LOG = LoggerFactory.getLogger(CentralApiProxy.class);
  static final String PREFIX = "/ops/api/";

  /** Admin API paths are words, ids and slashes; anything else (.., %) never leaves the console. */
  private static final Pattern PATH = Pattern.compile("[A-Za-z0-9_:-]+(/[A-Za-z0-9_.:-]+)*");

  private static final List<String> ANSWER_HEADERS = List.of("Content-Type", "Retry-After");

  private final CentralClient central;

  public CentralApiProxy(CentralClient central) {
    this.central = central;
  }

  @RequestMapping(
      path = PREFIX + "**",
      method = {RequestMethod.GET, RequestMethod.POST, RequestMethod.PUT})
  public void forward(
      HttpServletRequest request, HttpServletResponse response, Authentication person)
      throws IOException {
    String path = request.getRequestURI().substring(PREFIX.length());
    if (!PATH.matcher(path).matches() || path.contains("..")) {
      ProblemResponse.send(response, 400, "bad-request", "Bad request", "not an admin API path");
      return;
    }
    String query = request.getQueryString();
    HttpRequest.Builder out = central.request(path + (query == null ? "" : "?" + query), person);
    if (out == null) {
      ProblemResponse.send(
          response, 401, "unauthorized", "Unauthorized", "log in again (the session has no login)");
      return;
    }
    long length = request.getContentLengthLong();
    InputStream body = request.getInputStream();
    HttpRequest.BodyPublisher publisher =
        length > 0
            ? HttpRequest.BodyPublishers.fromPublisher(
                HttpRequest.BodyPublishers.ofInputStream(() -> body), length)
            : request.getHeader("Transfer-Encoding") != null
                ? HttpRequest.BodyPublishers.ofInputStream(() -> body)
                : HttpRequest.BodyPublishers.noBody();
    out.method(request.getMethod(), publisher);
    if (request.getContentType() != null) {
      out.header("Content-Type", request.getContentType());
    }
    HttpResponse<InputStream> answer;
    try {
      answer = central.send(out.build());
    } catch (IOException e) {
      LOG.warn("central's admin API at {} did not answer: {}", central.base(), e.toString());
      ProblemResponse.send(
          response,
          502,
          "central-unreachable",
          "Central unreachable",
          "central's admin API at " + central.base() + " did not answer; nothing was done there");
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ProblemResponse.send(response, 503, "unavailable", "Unavailable", "the console is stopping");
      return;
    }
    response.setStatus(answer.statusCode());
    for (String h : ANSWER_HEADERS) {
      answer.headers().firstValue(h).ifPresent(v -> response.setHeader(h, v));
    }
    answer
        .headers()
        .firstValue("Location")
        .ifPresent(v -> response.setHeader("Location", v.replaceFirst("^/api/v1/", PREFIX)));
    try (InputStream in = answer.body()) {
      in.transferTo(response.getOutputStream());
    }
  }
}
