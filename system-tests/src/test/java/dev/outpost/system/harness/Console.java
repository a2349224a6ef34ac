package dev.outpost.system.harness;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** hawtio-console as a process, connected to one central and the given terminals' Jolokia. */
public final class Console implements AutoCloseable {
  public static final String JAR_PROPERTY = "outpost.console.jar";

  private final AppProcess process;

  private Console(AppProcess process) {
    this.process = process;
  }

  /** {@code terminals}: "name=http://host:port/actuator/jolokia" entries. */
  public static Console create(String name, String centralBaseUrl, List<String> terminals) {
    int httpPort = Ports.free();
    Path dataDir = TestPaths.freshDataDir(name);
    Map<String, String> env = new LinkedHashMap<>();
    env.put("OUTPOST_CONSOLE_PORT", String.valueOf(httpPort));
    env.put("OUTPOST_CONSOLE_CENTRAL_URL", centralBaseUrl + "/actuator/jolokia");
    env.put("OUTPOST_CONSOLE_TERMINALS", String.join(",", terminals));
    // The ops pages' admin API (forwarded with the person's login).
    env.put("OUTPOST_CONSOLE_CENTRAL_API_URL", centralBaseUrl);
    AppProcess p =
        new AppProcess(name, TestPaths.jar(JAR_PROPERTY), httpPort, dataDir, env, List.of());
    return new Console(p);
  }

  public AppProcess process() {
    return process;
  }

  public String baseUrl() {
    return process.baseUrl();
  }

  /** Where Hawtio is served. */
  public String hawtioUrl() {
    return baseUrl() + "/actuator/hawtio/";
  }

  /** Where the ops pages are served. */
  public String opsUrl() {
    return baseUrl() + "/ops/";
  }

  @Override
  public void close() {
    process.close();
  }
}
