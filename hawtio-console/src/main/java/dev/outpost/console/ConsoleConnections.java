package dev.outpost.console;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The Jolokia agents the console offers: central and the configured terminals. Hawtio's Connect
 * plugin loads them from {@code <hawtio>/preset-connections} when a session starts (central opens
 * in the current tab, each terminal in its own) and reaches them through its proxy, which only
 * dials hosts in {@code hawtio.proxyAllowlist}.
 */
@RestController
public class ConsoleConnections {
  static final String PRESET_PATH = "/actuator/hawtio/preset-connections";

  @ConfigurationProperties("outpost.console")
  public record Targets(String centralUrl, List<String> terminals) {}

  private final Targets targets;

  public ConsoleConnections(Targets targets) {
    this.targets = targets;
  }

  @GetMapping(path = PRESET_PATH, produces = MediaType.APPLICATION_JSON_VALUE)
  public ResponseEntity<List<Map<String, Object>>> presets() {
    // Hawtio checks the exact content type "application/json" (no charset).
    return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(connections());
  }

  List<Map<String, Object>> connections() {
    List<Map<String, Object>> out = new ArrayList<>();
    if (targets.centralUrl() != null && !targets.centralUrl().isBlank()) {
      out.add(connection("central", targets.centralUrl()));
    }
    if (targets.terminals() != null) {
      for (String t : targets.terminals()) {
        if (t == null || t.isBlank()) {
          continue;
        }
        // "name=url" or just "url" (named after its port).
        String name;
        String url;
        int eq = t.indexOf('=');
        if (eq > 0 && !t.substring(0, eq).contains("/")) {
          name = t.substring(0, eq).trim();
          url = t.substring(eq + 1).trim();
        } else {
          url = t.trim();
          name = "terminal-" + URI.create(url).getPort();
        }
        out.add(connection(name, url));
      }
    }
    return out;
  }

  private static Map<String, Object> connection(String name, String url) {
    URI u = URI.create(url.trim());
    int port = u.getPort() > 0 ? u.getPort() : ("https".equals(u.getScheme()) ? 443 : 80);
    return Map.of(
        "name",
        name,
        "scheme",
        u.getScheme(),
        "host",
        u.getHost(),
        "port",
        port,
        "path",
        u.getPath());
  }
}
