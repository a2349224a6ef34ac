package dev.outpost.system.harness;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Central's broker as its own process ({@code ./outpost broker}: the central-broker jar), its
 * terminal logins checked against {@code pg}. With an HA role, two of these share one data dir (the
 * shared store).
 */
public final class CentralBroker implements AutoCloseable {
  public static final String JAR_PROPERTY = "outpost.broker.jar";

  private final AppProcess process;
  private final int port;
  private final Path dataDir;

  private CentralBroker(AppProcess process, int port, Path dataDir) {
    this.process = process;
    this.port = port;
    this.dataDir = dataDir;
  }

  /** A single broker on free ports with a fresh data dir. */
  public static CentralBroker single(String name, PostgresFixture pg) {
    return create(name, pg, TestPaths.freshDataDir(name), Ports.free(), Map.of());
  }

  /**
   * One half of a shared-store pair on {@code sharedDir}; {@code partnerPort} is the other's
   * acceptor.
   */
  public static CentralBroker ha(
      String name,
      PostgresFixture pg,
      Path sharedDir,
      String role,
      int port,
      int partnerPort,
      String clusterPassword) {
    return create(
        name,
        pg,
        sharedDir,
        port,
        Map.of(
            "OUTPOST_BROKER_HA", role,
            "OUTPOST_BROKER_HA_PARTNER", "127.0.0.1:" + partnerPort,
            "OUTPOST_BROKER_CLUSTER_PASSWORD", clusterPassword));
  }

  private static CentralBroker create(
      String name, PostgresFixture pg, Path dataDir, int port, Map<String, String> extra) {
    int httpPort = Ports.free();
    Map<String, String> env = new LinkedHashMap<>();
    env.put("OUTPOST_DATA_DIR", dataDir.toString());
    env.put("OUTPOST_BROKER_HOST", "127.0.0.1");
    env.put("OUTPOST_BROKER_PORT", String.valueOf(port));
    env.put("OUTPOST_BROKER_HTTP_PORT", String.valueOf(httpPort));
    env.put("OUTPOST_DB_URL", pg.jdbcUrl());
    env.put("OUTPOST_DB_USER", PostgresFixture.USER);
    env.put("OUTPOST_DB_PASSWORD", PostgresFixture.PASSWORD);
    env.putAll(extra);
    AppProcess p =
        new AppProcess(name, TestPaths.jar(JAR_PROPERTY), httpPort, dataDir, env, List.of());
    return new CentralBroker(p, port, dataDir);
  }

  public CentralBroker start() {
    process.start();
    return this;
  }

  public AppProcess process() {
    return process;
  }

  public int port() {
    return port;
  }

  public String brokerUrl() {
    return "tcp://127.0.0.1:" + port;
  }

  /** The broker's local CA (made at its first start under its data dir). */
  public Path caPem() {
    return dataDir.resolve("tls/ca.pem").toAbsolutePath();
  }

  /** The URL a client outside the broker uses: TLS 1.3, trusting the broker's CA. */
  public String tlsUrl() {
    return brokerUrl()
        + "?sslEnabled=true;trustStorePath="
        + caPem()
        + ";trustStoreType=PEMCA;verifyHost=true;enabledProtocols=TLSv1.3";
  }

  @Override
  public void close() {
    process.close();
  }
}
