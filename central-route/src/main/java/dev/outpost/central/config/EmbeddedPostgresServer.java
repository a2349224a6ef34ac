package dev.outpost.central.config;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL (zonky binaries) for the local system, kept under the data dir so a restart
 * keeps the data. zonky defaults to fsync=off and synchronous_commit=off; both are turned on here,
 * or "exactly once after a crash" would be false.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
  public static final String DATABASE = "outpost";

  private final EmbeddedPostgres postgres;

  private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  public static EmbeddedPostgresServer start(Path dataDir, int port, String user, String password)
      throws Exception {
    Files.createDirectories(dataDir);
    stopOrphanedPostmaster(dataDir);
    EmbeddedPostgres pg =
        EmbeddedPostgres.builder()
            .setDataDirectory(dataDir)
            .setCleanDataDirectory(false)
            .setPort(port)
            .setPGStartupWait(Duration.ofSeconds(60))
            .setServerConfig("listen_addresses", "127.0.0.1")
            .setServerConfig("fsync", "on")
            .setServerConfig("synchronous_commit", "on")
            .setServerConfig("full_page_writes", "on")
            .setServerConfig("max_connections", "100")
            .start();
    ensureRoleAndDatabase(pg.getPostgresDatabase(), user, password);
    LOG.info("Embedded PostgreSQL on 127.0.0.1:{} (data {})", port, dataDir);
    return new EmbeddedPostgresServer(pg);
  }

  /**
   * After a kill -9 of this process its PostgreSQL child lives on, holding the data dir and the
   * port. It belongs to nobody now: stop it (SIGTERM = smart shutdown; it has no clients left).
   */
  private static void stopOrphanedPostmaster(Path dataDir)
      throws IOException, InterruptedException {
    Path pidFile = dataDir.resolve("postmaster.pid");
    if (!Files.exists(pidFile)) {
      return;
    }
    String first = Files.readAllLines(pidFile).stream().findFirst().orElse("").trim();
    Optional<ProcessHandle> handle;
    try {
      handle = ProcessHandle.of(Long.parseLong(first));
    } catch (NumberFormatException e) {
      return;
    }
    if (handle.isEmpty()
        || !handle.get().isAlive()
        || !handle.get().info().command().orElse("").contains("postgres")) {
      return; // a stale pid file: PostgreSQL itself handles that
    }
    LOG.warn(
        "Stopping orphaned PostgreSQL (pid {}) left on {} by an earlier crash", first, dataDir);
    ProcessHandle p = handle.get();
    p.destroy();
    try {
      p.onExit().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      p.destroyForcibly();
      p.onExit().join();
    }
  }

  private static void ensureRoleAndDatabase(DataSource admin, String user, String password)
      throws Exception {
    try (Connection c = admin.getConnection();
        Statement st = c.createStatement()) {
      if (!exists(c, "select 1 from pg_roles where rolname = ?", user)) {
        // Identifiers cannot be bound as parameters; both come from our own configuration.
        st.execute(
            "create role \""
                + user.replace("\"", "")
                + "\" login password '"
                + password.replace("'", "''")
                + "'");
      }
      if (!exists(c, "select 1 from pg_database where datname = ?", DATABASE)) {
        st.execute("create database " + DATABASE + " owner \"" + user.replace("\"", "") + "\"");
      }
    }
  }

  private static boolean exists(Connection c, String sql, String value) throws Exception {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, value);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + DATABASE;
  }

  @Override
  public void close() throws IOException {
    postgres.close();
  }
}
