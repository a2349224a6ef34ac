package dev.outpost.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outpost.system.harness.Central;
import dev.outpost.system.harness.Edge;
import dev.outpost.system.harness.EdgeClient;
import dev.outpost.system.harness.Ops;
import dev.outpost.system.harness.Ports;
import dev.outpost.system.harness.TestPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The terminal as a service (issue 12): the package the build makes for a till ({@code
 * edge-route/target/outpost-edge.tar.gz}) is unpacked, and the terminal is started with the systemd
 * unit's own command line and environment, its install paths moved into a temporary directory (this
 * machine has no systemd running to start the unit itself): it must answer, record a sale that
 * reaches central, and stop cleanly on the unit's stop signal. The Windows service definition must
 * start the same program with the same settings. Where {@code systemd-analyze} is installed the
 * unit is verified by it too.
 */
class TerminalServiceIT {
  private static final String TERMINAL = "service-till-1";

  private Central central;
  private Process service;

  @AfterEach
  void stop() {
    if (service != null) {
      service.destroyForcibly();
    }
    if (central != null) {
      central.close();
    }
  }

  @Test
  void theSystemdUnitsCommandLineRunsAWorkingTerminal() throws Exception {
    Path pkg = unpackedPackage();
    Path unitFile = pkg.resolve("outpost-edge.service");
    Unit unit = Unit.parse(Files.readAllLines(unitFile));
    assertThat(unit.env()).containsKeys("OUTPOST_DATA_DIR", "OUTPOST_ENROLLMENT_FILE");
    assertThat(unit.exec()).contains("-jar", "/opt/outpost/edge-route.jar");
    verifiedBySystemd(unitFile);
    windowsServiceRunsTheSameProgram(pkg.resolve("outpost-edge.xml"), unit);

    central = Central.withEmbeddedDb("TerminalServiceIT-central").start();
    Path root = TestPaths.freshDataDir("TerminalServiceIT-root");
    Path enrollment = root.resolve("etc/outpost/enrollment.json");
    Files.createDirectories(enrollment.getParent());
    Files.copy(central.enrollment(TERMINAL), enrollment);
    Files.createDirectories(root.resolve("var/lib/outpost-edge"));
    Map<String, String> moved =
        Map.of(
            "/opt/outpost/",
            pkg + "/",
            "/var/lib/outpost-edge",
            root.resolve("var/lib/outpost-edge").toString(),
            "/etc/outpost/",
            root.resolve("etc/outpost") + "/",
            "/usr/bin/java",
            Path.of(System.getProperty("java.home"), "bin", "java").toString());

    List<String> command = new ArrayList<>();
    for (String word : unit.exec()) {
      command.add(relocate(word, moved));
    }
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.directory(Path.of(relocate(unit.workingDirectory(), moved)).toFile());
    unit.env().forEach((k, v) -> pb.environment().put(k, relocate(v, moved)));
    // What /etc/outpost/edge.env would hold on this till: a port free on this machine.
    int port = Ports.free();
    pb.environment().put("OUTPOST_HTTP_PORT", String.valueOf(port));
    Path log = TestPaths.logs().resolve("TerminalServiceIT-service.log");
    pb.redirectErrorStream(true).redirectOutput(log.toFile());
    service = pb.start();

    EdgeClient pos = new EdgeClient("http://127.0.0.1:" + port);
    await("the service's terminal answers")
        .atMost(Duration.ofMinutes(2))
        .ignoreExceptions()
        .until(() -> pos.syncStatus().path("terminalId").asText().equals(TERMINAL));
    UUID id = UUID.randomUUID();
    EdgeClient.Response r = pos.postOperation(Ops.json(Ops.sale(id, 1)));
    assertThat(r.status()).as(r.body()).isEqualTo(202);
    await("the sale reaches central")
        .atMost(Duration.ofMinutes(1))
        .until(() -> central.db().operations(TERMINAL) == 1);
    assertThat(Files.exists(root.resolve("var/lib/outpost-edge/derby")))
        .as("state in the unit's data directory")
        .isTrue();

    // systemctl stop: the unit's KillSignal, then at most TimeoutStopSec.
    assertThat(unit.killSignal()).isEqualTo("SIGTERM");
    ProcessHandle.of(service.pid()).orElseThrow().destroy(); // SIGTERM
    assertThat(service.waitFor(unit.stopTimeoutSeconds(), TimeUnit.SECONDS))
        .as("stopped within TimeoutStopSec")
        .isTrue();
    int exit = service.exitValue();
    assertThat(exit == 0 || unit.successExitStatus().contains(String.valueOf(exit)))
        .as("exit status " + exit + " counts as a clean stop for systemd")
        .isTrue();
  }

  /** The build's till package, unpacked as an installer would. */
  private static Path unpackedPackage() throws Exception {
    Path jar = TestPaths.jar(Edge.JAR_PROPERTY);
    Path tarball = jar.getParent().resolve("outpost-edge.tar.gz");
    assertThat(tarball).as("the package for a till, built with the edge").exists();
    Path into = TestPaths.freshDataDir("TerminalServiceIT-package");
    Process tar =
        new ProcessBuilder("tar", "xzf", tarball.toString(), "-C", into.toString())
            .inheritIO()
            .start();
    assertThat(tar.waitFor()).isZero();
    Path pkg = into.resolve("outpost-edge");
    assertThat(Files.list(pkg).map(p -> p.getFileName().toString()))
        .contains(
            "edge-route.jar",
            "jvm.options",
            "edge.env",
            "outpost-edge.service",
            "outpost-edge.xml");
    return pkg;
  }

  private static void verifiedBySystemd(Path unitFile) throws Exception {
    Path analyze = Path.of("/usr/bin/systemd-analyze");
    if (!Files.isExecutable(analyze)) {
      return; // no systemd on this machine: the command line below is the check
    }
    Process p =
        new ProcessBuilder(analyze.toString(), "verify", unitFile.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as("systemd-analyze verify: " + out).isZero();
  }

  /** WinSW's definition: java with the same options and jar, and the same settings. */
  private static void windowsServiceRunsTheSameProgram(Path xml, Unit unit) throws Exception {
    Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile());
    Element service = doc.getDocumentElement();
    assertThat(service.getTagName()).isEqualTo("service");
    assertThat(text(service, "id")).isEqualTo("outpost-edge");
    assertThat(text(service, "executable")).endsWith("java.exe");
    String args = text(service, "arguments");
    assertThat(args)
        .contains("@\"%BASE%\\jvm.options\"", "-jar \"%BASE%\\edge-route.jar\"")
        .contains(
            unit.exec().stream()
                .filter(w -> w.startsWith("-XX:"))
                .collect(Collectors.joining(" ")));
    NodeList envs = service.getElementsByTagName("env");
    List<String> names = new ArrayList<>();
    for (int i = 0; i < envs.getLength(); i++) {
      names.add(((Element) envs.item(i)).getAttribute("name"));
    }
    assertThat(names).containsExactlyInAnyOrderElementsOf(unit.env().keySet());
    assertThat(text(service, "stoptimeout")).isEqualTo(unit.stopTimeoutSeconds() + " sec");
  }

  private static String text(Element parent, String tag) {
    NodeList n = parent.getElementsByTagName(tag);
    assertThat(n.getLength()).as("<" + tag + ">").isEqualTo(1);
    return n.item(0).getTextContent().trim();
  }

  private static String relocate(String value, Map<String, String> moved) {
    String out = value;
    for (Map.Entry<String, String> e : moved.entrySet()) {
      out = out.replace(e.getKey(), e.getValue());
    }
    return out;
  }

  /** What the unit file says, as systemd reads the keys used here. */
  record Unit(
      List<String> exec,
      Map<String, String> env,
      String workingDirectory,
      String killSignal,
      long stopTimeoutSeconds,
      List<String> successExitStatus) {
    static Unit parse(List<String> lines) throws IOException {
      List<String> exec = null;
      Map<String, String> env = new LinkedHashMap<>();
      Map<String, String> keys = new LinkedHashMap<>();
      for (String raw : lines) {
        String line = raw.strip();
        if (line.isEmpty() || line.startsWith("#") || line.startsWith("[")) {
          continue;
        }
        String key = line.substring(0, line.indexOf('='));
        String value = line.substring(line.indexOf('=') + 1);
        if (key.equals("ExecStart")) {
          exec = Arrays.asList(value.split("\\s+"));
        } else if (key.equals("Environment")) {
          env.put(value.substring(0, value.indexOf('=')), value.substring(value.indexOf('=') + 1));
        } else {
          keys.put(key, value);
        }
      }
      if (exec == null) {
        throw new IOException("no ExecStart in the unit");
      }
      return new Unit(
          exec,
          env,
          keys.get("WorkingDirectory"),
          keys.get("KillSignal"),
          Long.parseLong(keys.get("TimeoutStopSec")),
          Arrays.asList(keys.getOrDefault("SuccessExitStatus", "").split("\\s+")));
    }
  }
}
