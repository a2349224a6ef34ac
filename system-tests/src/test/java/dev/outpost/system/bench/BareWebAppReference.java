package dev.outpost.system.bench;

import dev.outpost.system.harness.Ports;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Starts {@link BareWebApp} as its own JVM with the terminal's JVM options and measures it, so
 * "start to ready" and resident memory have a yardstick measured in the same run. Its classpath is
 * the starter's jars only, taken from the bench's own classpath, and a directory holding just the
 * app's class.
 */
final class BareWebAppReference {
  private BareWebAppReference() {}

  /** The starter's jars (and what they pull in); nothing of Outpost, Camel, Artemis or tests. */
  private static final Pattern STARTER_JAR =
      Pattern.compile(
          "(spring-boot(-(?!test|starter-test)[a-z-]+)?|spring-(core|jcl|beans|context|aop|expression"
              + "|web|webmvc)|tomcat-embed-[a-z]+|jackson-[a-z0-9-]+?|micrometer-(observation|commons)"
              + "|slf4j-api|logback-(classic|core)|log4j-to-slf4j|log4j-api|jul-to-slf4j"
              + "|snakeyaml|jakarta\\.annotation-api)-[0-9][^/]*\\.jar");

  /**
   * Seconds from launch until {@code /ready} answers, and then the resident memory (MB) and the
   * classes loaded.
   */
  record Started(double seconds, double residentMb, long classes) {}

  static Started measure(Path dir, List<String> jvmOptions) throws Exception {
    Path classes = dir.resolve("classes");
    String resource = BareWebApp.class.getName().replace('.', '/') + ".class";
    Path target = classes.resolve(resource);
    Files.createDirectories(target.getParent());
    try (InputStream in = BareWebApp.class.getClassLoader().getResourceAsStream(resource)) {
      Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    List<String> path = new ArrayList<>(List.of(classes.toString()));
    for (Path entry : classPath()) {
      if (STARTER_JAR.matcher(entry.getFileName().toString()).matches()) {
        path.add(entry.toString());
      }
    }
    if (path.size() < 10) {
      throw new IllegalStateException(
          "the Spring Boot starter's jars are not on this JVM's classpath: " + path);
    }
    int port = Ports.free();
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOptions);
    cmd.addAll(
        List.of(
            "-cp",
            String.join(File.pathSeparator, path),
            BareWebApp.class.getName(),
            "--server.port=" + port,
            "--server.address=127.0.0.1",
            "--spring.main.banner-mode=off"));
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest ready =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready")).build();
    long t0 = System.nanoTime();
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("bare-web-app.log").toFile())
            .start();
    try {
      while (System.nanoTime() - t0 < 120_000_000_000L && p.isAlive()) {
        try {
          if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
            double seconds = (System.nanoTime() - t0) / 1e9;
            Thread.sleep(2_000); // at rest, as the terminal's figure is taken
            return new Started(seconds, residentMb(p.pid()), loadedClasses(p.pid()));
          }
        } catch (IOException notYet) {
          Thread.sleep(20);
        }
      }
      throw new IllegalStateException(
          "the bare Spring Boot app did not start; see " + dir.resolve("bare-web-app.log"));
    } finally {
      p.destroy();
      p.waitFor();
    }
  }

  /**
   * This JVM's classpath. Under Maven's failsafe it is one manifest-only jar whose Class-Path names
   * the real entries.
   */
  private static List<Path> classPath() throws IOException {
    List<Path> out = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path p = Path.of(entry);
      out.add(p);
      if (entry.endsWith(".jar") && Files.isRegularFile(p)) {
        try (java.util.jar.JarFile jar = new java.util.jar.JarFile(p.toFile())) {
          java.util.jar.Manifest m = jar.getManifest();
          String cp = m == null ? null : m.getMainAttributes().getValue("Class-Path");
          if (cp != null) {
            for (String url : cp.trim().split("\\s+")) {
              out.add(
                  Path.of(URI.create(url).isAbsolute() ? URI.create(url) : p.toUri().resolve(url)));
            }
          }
        }
      }
    }
    return out;
  }

  /** Classes the JVM {@code pid} has loaded (its perf counter, read with jcmd); -1 if unknown. */
  static long loadedClasses(long pid) {
    try {
      Process jcmd =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                  String.valueOf(pid),
                  "PerfCounter.print")
              .redirectErrorStream(true)
              .start();
      String out = new String(jcmd.getInputStream().readAllBytes());
      jcmd.waitFor();
      return out.lines()
          .filter(l -> l.startsWith("java.cls.loadedClasses="))
          .mapToLong(l -> Long.parseLong(l.substring(l.indexOf('=') + 1).trim()))
          .findFirst()
          .orElse(-1);
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  static double residentMb(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
        }
      }
    } catch (IOException e) {
      return Double.NaN;
    }
    return Double.NaN;
  }
}
