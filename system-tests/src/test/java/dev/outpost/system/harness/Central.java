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

  private Central(AppProcess process, int brokerPort, Db db) {
    this.process = process;
    this.brokerPort = brokerPort;
    this.db = db;
  }

  /** With its own embedded PostgreSQL (the local default), on free ports. */
  public static Central withEmbeddedDb(String name) {
    return withEmbeddedDb(name, Ports.free());
  }

  /** With its own embedded PostgreSQL, on a broker port chosen up front (edges may point at it first). */
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

  @Override
  public void close() {
    process.close();
  }
}
