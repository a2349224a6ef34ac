package dev.outpost.system.harness;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** central-route as a process: embedded broker on a free port, embedded or external PostgreSQL. */
public final class Central implements AutoCloseable {
  public static final String JAR_PROPERTY = "outpost.central.jar";

  private final AppProcess process;
  private final int brokerPort;
  private final Db db;
  private final Path caPem;

  private Central(AppProcess process, int brokerPort, Db db) {
    this(process, brokerPort, db, process.dataDir().resolve("tls/ca.pem"));
  }

  private Central(AppProcess process, int brokerPort, Db db, Path caPem) {
    this.process = process;
    this.brokerPort = brokerPort;
    this.db = db;
    this.caPem = caPem;
  }

  /**
   * Without a broker of its own: central-route against {@code broker} (a {@code ./outpost broker}
   * process) and a PostgreSQL the test controls, as on Kubernetes.
   */
  public static Central withExternalBroker(String name, PostgresFixture pg, CentralBroker broker) {
    return withExternalBroker(name, pg, broker.port(), broker.caPem());
  }

  /**
   * Against the broker (or the one address in front of a broker pair) on loopback {@code
   * brokerPort}, whose certificate {@code caPem} signed; terminals are enrolled with that address.
   */
  public static Central withExternalBroker(
      String name, PostgresFixture pg, int brokerPort, Path caPem) {
    return withExternalBroker(name, pg, "tcp://127.0.0.1:" + brokerPort, brokerPort, caPem);
  }

  /**
   * Against the broker(s) at {@code brokerUrl} (one, or a list such as {@code
   * (tcp://a,tcp://b)?ha=true}), whose certificates {@code caPem} signed; terminals are enrolled
   * with the address on loopback {@code publicPort}.
   */
  public static Central withExternalBroker(
      String name, PostgresFixture pg, String brokerUrl, int publicPort, Path caPem) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("OUTPOST_DEMO_DATA", "true");
    env.put("OUTPOST_DB_URL", pg.jdbcUrl());
    env.put("OUTPOST_DB_USER", PostgresFixture.USER);
    env.put("OUTPOST_DB_PASSWORD", PostgresFixture.PASSWORD);
    env.put(
        "OUTPOST_BROKER_URL",
        brokerUrl
            + (brokerUrl.contains("?") ? ";" : "?")
            + "sslEnabled=true;trustStorePath="
            + caPem.toAbsolutePath()
            + ";trustStoreType=PEMCA;verifyHost=true;enabledProtocols=TLSv1.3");
    env.put("OUTPOST_BROKER_CA", caPem.toAbsolutePath().toString());
    env.put("OUTPOST_PUBLIC_BROKER_URL", "tcp://127.0.0.1:" + publicPort);
    int httpPort = Ports.free();
    Path dataDir = TestPaths.freshDataDir(name);
    env.put("OUTPOST_HTTP_PORT", String.valueOf(httpPort));
    env.put("OUTPOST_DATA_DIR", dataDir.toString());
    AppProcess p =
        new AppProcess(name, TestPaths.jar(JAR_PROPERTY), httpPort, dataDir, env, List.of());
    return new Central(p, publicPort, pg.db(), caPem);
  }

  /** With its own embedded PostgreSQL (the local default), on free ports. */
  public static Central withEmbeddedDb(String name) {
    return withEmbeddedDb(name, Ports.free());
  }

  /**
   * With its own embedded PostgreSQL, on a broker port chosen up front (edges may point at it
   * first).
   */
  public static Central withEmbeddedDb(String name, int brokerPort) {
    int dbPort = Ports.free();
    Map<String, String> env = baseEnv(brokerPort);
    env.put("OUTPOST_DB_PORT", String.valueOf(dbPort));
    env.put("OUTPOST_DB_URL", "");
    return create(name, brokerPort, env, Db.embedded(dbPort));
  }

  /** Against a PostgreSQL the test controls. */
  public static Central withExternalDb(String name, PostgresFixture pg) {
    int brokerPort = Ports.free();
    Map<String, String> env = baseEnv(brokerPort);
    env.put("OUTPOST_DB_URL", pg.jdbcUrl());
    env.put("OUTPOST_DB_USER", PostgresFixture.USER);
    env.put("OUTPOST_DB_PASSWORD", PostgresFixture.PASSWORD);
    return create(name, brokerPort, env, pg.db());
  }

  private static Map<String, String> baseEnv(int brokerPort) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("OUTPOST_BROKER_HOST", "127.0.0.1");
    env.put("OUTPOST_BROKER_PORT", String.valueOf(brokerPort));
    env.put("OUTPOST_DEMO_DATA", "true");
    return env;
  }

  private static Central create(String name, int brokerPort, Map<String, String> env, Db db) {
    int httpPort = Ports.free();
    Path dataDir = TestPaths.freshDataDir(name);
    env.put("OUTPOST_HTTP_PORT", String.valueOf(httpPort));
    env.put("OUTPOST_DATA_DIR", dataDir.toString());
    AppProcess p =
        new AppProcess(name, TestPaths.jar(JAR_PROPERTY), httpPort, dataDir, env, List.of());
    return new Central(p, brokerPort, db);
  }

  public Central start() {
    process.start();
    return this;
  }

  public AppProcess process() {
    return process;
  }

  public int brokerPort() {
    return brokerPort;
  }

  public String brokerUrl() {
    return "tcp://127.0.0.1:" + brokerPort;
  }

  public Db db() {
    return db;
  }

  /** central-route's own broker login in the local system (sandbox password). */
  public static final String SERVICE_USER = "outpost-central";

  public static final String SERVICE_PASSWORD = "central-sandbox";
  private final Map<String, Path> enrollments = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * The broker URL as a client outside central must use it: TLS 1.3, trusting central's local CA.
   */
  public String tlsUrl() {
    return brokerUrl() + "?" + tlsParameters();
  }

  /** The TLS part of a URL to this central's broker (e.g. for a link proxy's address). */
  public String tlsParameters() {
    return "sslEnabled=true;trustStorePath="
        + caPem.toAbsolutePath()
        + ";trustStoreType=PEMCA;verifyHost=true;enabledProtocols=TLSv1.3";
  }

  public CentralAdmin admin() {
    return new CentralAdmin(process.baseUrl(), CentralAdmin.OPS_AUTH);
  }

  /**
   * The terminal's enrollment file, enrolling it through central's admin API on first use (as
   * {@code ./outpost terminals add} does). A central that is not running is started for it and
   * stopped again, so a test can enroll a terminal before the scenario begins.
   */
  public synchronized Path enrollment(String terminalId) {
    Path existing = enrollments.get(terminalId);
    if (existing != null) {
      return existing;
    }
    boolean wasRunning = process.isAlive();
    if (!wasRunning) {
      process.start();
    }
    try {
      CentralAdmin.Response r =
          admin().post("/api/v1/terminals", "{\"terminalId\":\"" + terminalId + "\"}");
      if (r.status() != 201) {
        throw new IllegalStateException(
            "enrollment of " + terminalId + " answered " + r.status() + ": " + r.body());
      }
      Path file =
          TestPaths.logs()
              .getParent()
              .resolve("enrollments")
              .resolve(process.name() + "-" + terminalId + ".json");
      java.nio.file.Files.createDirectories(file.getParent());
      java.nio.file.Files.writeString(file, r.body());
      enrollments.put(terminalId, file);
      return file;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } finally {
      if (!wasRunning) {
        process.stop();
      }
    }
  }

  /** The enrolled terminal's broker secret. */
  public String secret(String terminalId) {
    try {
      return dev.outpost.contracts.EnrollmentFile.read(enrollment(terminalId)).brokerPassword();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * A raw broker client that sends as the (enrolled) terminal and looks at queues as central-route.
   */
  public Broker broker(String terminalId) {
    return new Broker(tlsUrl(), terminalId, secret(terminalId), SERVICE_USER, SERVICE_PASSWORD);
  }

  /** A raw broker client as central-route (service user) only. */
  public Broker serviceBroker() {
    return new Broker(tlsUrl(), SERVICE_USER, SERVICE_PASSWORD, SERVICE_USER, SERVICE_PASSWORD);
  }

  @Override
  public void close() {
    process.close();
  }
}
