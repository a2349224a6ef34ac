package dev.outpost.system.harness;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** edge-route as a process for one terminal, bridged to a central broker URL. */
public final class Edge implements AutoCloseable {
  public static final String JAR_PROPERTY = "outpost.edge.jar";

  private final AppProcess process;
  private final String terminalId;
  private final EdgeClient client;

  private Edge(AppProcess process, String terminalId) {
    this.process = process;
    this.terminalId = terminalId;
    this.client = new EdgeClient(process.baseUrl());
  }

  /** An edge enrolled at {@code central}, dialing it directly. */
  public static Edge create(String name, String terminalId, Central central) {
    return create(name, terminalId, central, central.brokerUrl());
  }

  /**
   * An edge enrolled at {@code central} whose link goes to {@code centralBrokerUrl} (e.g. a link
   * proxy in front of central's broker); TLS is added from the enrollment's CA.
   */
  public static Edge create(
      String name, String terminalId, Central central, String centralBrokerUrl) {
    Edge edge = create(name, terminalId, centralBrokerUrl);
    edge.process.env().put("OUTPOST_ENROLLMENT_FILE", central.enrollment(terminalId).toString());
    edge.process.env().put("OUTPOST_CENTRAL_HTTP_URL", central.process().baseUrl());
    return edge;
  }

  /**
   * As {@link #create(String, String, Central, String)}, with the terminal's data dir where the
   * test says (e.g. on a small filesystem of its own).
   */
  public static Edge create(
      String name, String terminalId, Central central, String centralBrokerUrl, Path dataDir) {
    Edge edge = create(name, terminalId, centralBrokerUrl, dataDir);
    edge.process.env().put("OUTPOST_ENROLLMENT_FILE", central.enrollment(terminalId).toString());
    edge.process.env().put("OUTPOST_CENTRAL_HTTP_URL", central.process().baseUrl());
    return edge;
  }

  /** An edge that is not enrolled anywhere (central refuses its link). */
  public static Edge create(String name, String terminalId, String centralBrokerUrl) {
    return create(name, terminalId, centralBrokerUrl, TestPaths.freshDataDir(name));
  }

  private static Edge create(
      String name, String terminalId, String centralBrokerUrl, Path dataDir) {
    int httpPort = Ports.free();
    Map<String, String> env = new LinkedHashMap<>();
    env.put("OUTPOST_TERMINAL_ID", terminalId);
    env.put("OUTPOST_HTTP_PORT", String.valueOf(httpPort));
    env.put("OUTPOST_HTTP_BIND", "127.0.0.1");
    env.put("OUTPOST_DATA_DIR", dataDir.toString());
    env.put("OUTPOST_CENTRAL_URL", centralBrokerUrl);
    AppProcess p =
        new AppProcess(name, TestPaths.jar(JAR_PROPERTY), httpPort, dataDir, env, List.of());
    return new Edge(p, terminalId);
  }

  public Edge start() {
    process.start();
    return this;
  }

  public AppProcess process() {
    return process;
  }

  public String terminalId() {
    return terminalId;
  }

  public EdgeClient client() {
    return client;
  }

  public String baseUrl() {
    return process.baseUrl();
  }

  @Override
  public void close() {
    process.close();
  }
}
