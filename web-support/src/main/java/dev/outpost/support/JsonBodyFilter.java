package dev.outpost.support;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import java.util.Set;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A POST, PUT or PATCH with a body under {@code pathPrefix} must say {@code application/json} or
 * {@code application/*+json} (any charset); anything else gets 415 problem+json before it is read.
 * That also stops a browser's cross-site "simple" request ({@code text/plain}, form encodings),
 * which needs no CORS preflight. Requests without a body (pause, replay) pass.
 *
 * <p>Upload paths (exact) also take {@code multipart/form-data} ({@code curl -F file=@day.json}).
 * Multipart is a "simple" content type too, so such a request that carries an {@code Origin} (a
 * browser page: the app serves none, browsers cache basic logins) gets 403: a page uploads through
 * its own server, as the console does; scripts send no Origin.
 */
public class JsonBodyFilter extends OncePerRequestFilter {
  private static final Set<String> WITH_BODY = Set.of("POST", "PUT", "PATCH");
  private final String pathPrefix;
  private final Set<String> uploadPaths;

  public JsonBodyFilter(String pathPrefix, String... uploadPaths) {
    this.pathPrefix = pathPrefix;
    this.uploadPaths = Set.of(uploadPaths);
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !request.getRequestURI().startsWith(pathPrefix)
        || !WITH_BODY.contains(request.getMethod().toUpperCase(Locale.ROOT));
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    boolean hasBody =
        request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
    if (hasBody
        && isMultipart(request.getContentType())
        && uploadPaths.contains(request.getRequestURI())) {
      if (request.getHeader("Origin") != null) {
        ProblemResponse.send(
            response,
            403,
            "foreign-origin",
            "Origin not allowed",
            "a multipart upload from a web page is refused here; upload through the console");
        return;
      }
      chain.doFilter(request, response);
      return;
    }
    if (hasBody && !isJson(request.getContentType())) {
      response.setHeader("Accept", "application/json");
      ProblemResponse.send(
          response,
          415,
          "unsupported-media-type",
          "Unsupported media type",
          "Send the body as application/json (Content-Type: application/json).");
      return;
    }
    chain.doFilter(request, response);
  }

  private static boolean isMultipart(String contentType) {
    try {
      return contentType != null
          && MediaType.MULTIPART_FORM_DATA.equalsTypeAndSubtype(
              MediaType.parseMediaType(contentType));
    } catch (InvalidMediaTypeException e) {
      return false;
    }
  }

  /** application/json or application/*+json, parameters such as charset allowed. */
  public static boolean isJson(String contentType) {
    if (contentType == null || contentType.isBlank()) {
      return false;
    }
    try {
      MediaType type = MediaType.parseMediaType(contentType);
      String sub = type.getSubtype().toLowerCase(Locale.ROOT);
      return "application".equalsIgnoreCase(type.getType())
          && (sub.equals("json") || sub.endsWith("+json"));
    } catch (InvalidMediaTypeException e) {
      return false;
    }
  }
}
