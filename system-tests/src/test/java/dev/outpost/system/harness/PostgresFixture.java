package dev.outpost.system.harness;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL (zonky's binaries) run from the test JVM on a fixed data dir and port, so a
 * test can stop it under a running central-route and start it again on the same data. Durable
 * settings on: zonky turns fsync and synchronous_commit off unless told otherwise.
 */
public final class PostgresFixture implements AutoCloseable {
  public static final String DB = "outpost";
  public static final String USER = "outpost";
  public static final String PASSWORD = "outpost";
  private static final Logger LOG = LoggerFactory.getLogger(PostgresFixture.class);

  private final Path dataDir;
  private final int port;
  private EmbeddedPostgres pg;
  private boolean initialised;

  public PostgresFixture(String name) {
    this.dataDir = TestPaths.freshDataDir(name + "-pgdata");
    this.port = Ports.free();
  }

  public synchronized PostgresFixture start() {
    if (pg != null) {
      throw new IllegalStateException("PostgreSQL already running");
    }
    try {
      pg =
          EmbeddedPostgres.builder()
              .setDataDirectory(dataDir)
              .setCleanDataDirectory(false)
              .setPort(port)
              .setPGStartupWait(Duration.ofSeconds(60))
              .setServerConfig("fsync", "on")
              .setServerConfig("synchronous_commit", "on")
              .setServerConfig("full_page_writes", "on")
              .setServerConfig("listen_addresses", "127.0.0.1")
              .setServerConfig("max_connections", "100")
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start PostgreSQL on " + dataDir, e);
    }
    if (!initialised) {
      try (Connection c = pg.getPostgresDatabase().getConnection();
          Statement s = c.createStatement()) {
        s.execute("CREATE ROLE " + USER + " LOGIN PASSWORD '" + PASSWORD + "'");
        s.execute("CREATE DATABASE " + DB + " OWNER " + USER);
      } catch (SQLException e) {
        throw new IllegalStateException("cannot create the outpost database", e);
      }
      initialised = true;
    }
    LOG.info("PostgreSQL up on port {} with data dir {}", port, dataDir);
    return this;
  }

  /** Fast shutdown (pg_ctl stop -m fast): open connections are cut, committed data stays. */
  public synchronized void stop() {
    if (pg == null) {
      return;
    }
    try {
      pg.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      pg = null;
    }
    LOG.info("PostgreSQL on port {} stopped", port);
  }

  public synchronized boolean isRunning() {
    return pg != null;
  }

  public int port() {
    return port;
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + DB;
  }

  public Db db() {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setUrl(jdbcUrl());
    ds.setUser(USER);
    ds.setPassword(PASSWORD);
    ds.setConnectTimeout(3);
    ds.setSocketTimeout(30);
    return new Db(ds);
  }

  @Override
  public void close() {
    try {
      stop();
    } catch (RuntimeException e) {
      LOG.warn("stopping PostgreSQL failed", e);
    }
  }
}
