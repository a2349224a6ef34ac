package dev.outpost.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Renders an overlay with {@code kubectl kustomize} (the kustomize built into kubectl, as {@code
 * kubectl apply -k} uses it). Without kubectl the checks are skipped on a developer machine and
 * fail under CI ({@code CI=true}), where .ci/run installs it.
 */
final class Kustomize {
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Map<String, List<ObjectNode>> CACHE = new ConcurrentHashMap<>();

  private Kustomize() {}

  static Path root() {
    return Path.of(System.getProperty("outpost.root", "..")).toAbsolutePath().normalize();
  }

  static Path k8s() {
    return root().resolve("k8s");
  }

  static List<ObjectNode> render(String overlay) {
    return CACHE.computeIfAbsent(overlay, Kustomize::run);
  }

  private static List<ObjectNode> run(String overlay) {
    String kubectl = kubectl();
    try {
      Process p =
          new ProcessBuilder(
                  kubectl, "kustomize", k8s().resolve("overlays").resolve(overlay).toString())
              .redirectErrorStream(false)
              .start();
      byte[] out = p.getInputStream().readAllBytes();
      byte[] err = p.getErrorStream().readAllBytes();
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new AssertionError(
            "kubectl kustomize overlays/"
                + overlay
                + " failed: "
                + new String(err, StandardCharsets.UTF_8));
      }
      return parse(new String(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new AssertionError("cannot run " + kubectl, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  static List<ObjectNode> parse(String yaml) throws IOException {
    List<ObjectNode> docs = new ArrayList<>();
    try (YAMLParser parser = ((YAMLFactory) YAML.getFactory()).createParser(yaml)) {
      for (JsonNode n : YAML.readValues(parser, JsonNode.class).readAll()) {
        if (n != null && n.isObject() && !n.isEmpty()) {
          docs.add((ObjectNode) n);
        }
      }
    }
    return docs;
  }

  private static String kubectl() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path candidate = Path.of(dir, "kubectl");
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    String message =
        "kubectl is not on the PATH: the manifest checks need kubectl 1.27+ (its kustomize v5;"
            + " Debian's kubernetes-client 1.20 is too old); .ci/run installs one";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new AssertionError(message);
    }
    Assumptions.abort(message);
    return null;
  }
}
