package dev.outpost.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.system.harness.AppProcess;
import dev.outpost.system.harness.Central;
import dev.outpost.system.harness.CentralAdmin;
import dev.outpost.system.harness.Console;
import dev.outpost.system.harness.Edge;
import dev.outpost.system.harness.TestPaths;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The README stays true: every {@code ./outpost} command and option it shows is one the launcher
 * knows, and every endpoint it names (curl commands, local URLs, {@code METHOD /path} mentions) is
 * served by the app it belongs to on a running local system (central, a terminal, the console).
 * "Served" means anything but "no such endpoint": a 404 that is a problem document (an unknown id)
 * or a 400 for the README's placeholder values count as served; Spring's own 404 (no handler) and a
 * 405 (no such method) do not.
 */
class ReadmeIT {
  private static final Path ROOT = TestPaths.target().getParent().getParent();
  private static final String README = read(ROOT.resolve("README.md"));

  /** README ports → the app that owns them on the local system. */
  private static final Map<Integer, String> APPS =
      Map.of(8080, "central", 8081, "terminal", 8090, "console");

  private static Central central;
  private static Edge edge;
  private static Console console;
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(3))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  @BeforeAll
  static void start() {
    central = Central.withEmbeddedDb("ReadmeIT-central").start();
    edge = Edge.create("ReadmeIT-edge", "readme-till-1", central);
    console =
        Console.create(
            "ReadmeIT-console",
            central.process().baseUrl(),
            List.of("readme-till-1=" + edge.baseUrl() + "/actuator/jolokia"));
    AppProcess.startTogether(edge.process(), console.process());
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable c : new AutoCloseable[] {console, edge, central}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        // closing the others matters more
      }
    }
  }

  @Test
  void everyLauncherCommandAndOptionTheReadmeShowsExists() throws Exception {
    String help = run(ROOT.resolve("outpost").toString(), "help");
    Set<String> missing = new LinkedHashSet<>();
    Matcher m = Pattern.compile("\\./outpost ([a-z]+)((?: [^`\\n#|]*)?)").matcher(README);
    while (m.find()) {
      String command = m.group(1);
      if (!Pattern.compile("(?m)^  " + command + "\\b").matcher(help).find()) {
        missing.add("./outpost " + command);
      }
      Matcher option = Pattern.compile("(--[a-z][a-z-]*)").matcher(m.group(2));
      while (option.find()) {
        if (!help.contains(option.group(1))) {
          missing.add("./outpost " + command + " " + option.group(1));
        }
      }
    }
    assertThat(missing)
        .as("README shows launcher commands or options that `./outpost help` does not know")
        .isEmpty();
  }

  @Test
  void everyEndpointTheReadmeNamesIsServed() {
    List<Probe> probes = probes();
    assertThat(probes).as("endpoints found in the README").hasSizeGreaterThan(40);
    List<String> failures = new ArrayList<>();
    for (Probe p : probes) {
      String verdict = p.app == null ? tryAnyApp(p) : verdict(p, baseUrl(p.app));
      if (verdict != null) {
        failures.add(p.method + " " + p.path + " (" + p.source + "): " + verdict);
      }
    }
    assertThat(failures)
        .as("README endpoints that no app serves (of %d checked)", probes.size())
        .isEmpty();
  }

  /** One request the README tells a reader to make. app null: a bare "METHOD /path" mention. */
  record Probe(String app, String method, String path, String body, String source) {}

  static List<Probe> probes() {
    Set<Probe> probes = new LinkedHashSet<>();
    // curl commands, possibly continued over lines with a trailing backslash
    String joined = README.replaceAll("\\\\\\n\\s*", " ");
    Matcher curl = Pattern.compile("curl ([^`\\n]*)").matcher(joined);
    while (curl.find()) {
      String args = curl.group(1);
      Matcher url = Pattern.compile("'?http://127\\.0\\.0\\.1:(\\d+)(/[^'\\s`]*)'?").matcher(args);
      if (!url.find() || !APPS.containsKey(Integer.parseInt(url.group(1)))) {
        continue;
      }
      Matcher x = Pattern.compile("-X (\\w+)").matcher(args);
      Matcher d = Pattern.compile("-d '([^']*)'").matcher(args);
      String method = x.find() ? x.group(1) : d.find(0) ? "POST" : "GET";
      String body = d.find(0) ? d.group(1) : null;
      probes.add(
          new Probe(
              APPS.get(Integer.parseInt(url.group(1))),
              method,
              url.group(2),
              body,
              "curl " + method + " " + url.group(2)));
    }
    // plain local URLs (tables, prose), outside the curl commands read above
    String prose = joined.replaceAll("curl [^`\\n]*", "");
    Matcher link = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)(/[^\\s`'\"),|]*)").matcher(prose);
    while (link.find()) {
      String app = APPS.get(Integer.parseInt(link.group(1)));
      if (app != null && !link.group(2).contains("jolokia")) {
        probes.add(new Probe(app, "GET", link.group(2), null, "URL"));
      }
    }
    // "GET /api/v1/…" mentions, which do not say which app serves them
    Matcher mention =
        Pattern.compile("`(GET|POST|PUT|DELETE|PATCH) (/(?:api|actuator)[^`\\s\\[]*)")
            .matcher(README);
    while (mention.find()) {
      probes.add(new Probe(null, mention.group(1), mention.group(2), null, "mention"));
    }
    // the same request found in several forms is asked once
    Map<String, Probe> unique = new java.util.LinkedHashMap<>();
    for (Probe p : probes) {
      unique.putIfAbsent(p.app + " " + p.method + " " + concrete(p.path), p);
    }
    return new ArrayList<>(unique.values());
  }

  private String tryAnyApp(Probe p) {
    String atCentral = verdict(p, baseUrl("central"));
    if (atCentral == null) {
      return null;
    }
    String atTerminal = verdict(p, baseUrl("terminal"));
    return atTerminal == null ? null : "central: " + atCentral + "; terminal: " + atTerminal;
  }

  /** null when the endpoint is served, else why not. */
  private static String verdict(Probe p, String base) {
    try {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create(base + concrete(p.path)))
              .timeout(Duration.ofSeconds(20))
              .header("Authorization", CentralAdmin.OPS_AUTH)
              .header("Accept", "application/json, application/problem+json, text/html, */*");
      String body = p.body == null ? "{}" : p.body;
      switch (p.method) {
        case "GET" -> request.GET();
        case "DELETE" -> request.DELETE();
        default ->
            request
                .header("Content-Type", "application/json")
                .method(p.method, HttpRequest.BodyPublishers.ofString(body));
      }
      // Only the status and type are judged: the body is not read, so a stream the README names
      // (the operator page's server-sent events) is closed at once instead of read forever.
      HttpResponse<java.io.InputStream> answer =
          HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
      answer.body().close();
      int status = answer.statusCode();
      String type = answer.headers().firstValue("Content-Type").orElse("");
      if (status == 405) {
        return "405, no such method";
      }
      if (status == 404 && !type.startsWith("application/problem+json")) {
        return "404, no such endpoint";
      }
      return null;
    } catch (IOException e) {
      return e.toString();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return e.toString();
    }
  }

  /** The README's placeholders ({id}, 3f1c…, YYYY-MM-DD) made into values a request can carry. */
  static String concrete(String path) {
    return path.replaceAll("\\{[^}]+}", "readme-probe")
        .replaceAll("[0-9a-f]*…", "readme-probe")
        .replace("YYYY-MM-DD", "2026-11-23")
        .replaceAll("[.,;:]+$", "");
  }

  private static String baseUrl(String app) {
    return switch (app) {
      case "central" -> central.process().baseUrl();
      case "terminal" -> edge.baseUrl();
      case "console" -> console.baseUrl();
      default -> throw new IllegalArgumentException(app);
    };
  }

  private static String run(String... command) throws Exception {
    Process p =
        new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return out;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
