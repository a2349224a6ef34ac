package dev.outpost.central.config;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.outpost.central.security.ProductionGuard;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The one DataSource: external PostgreSQL by OUTPOST_DB_URL, else the embedded one. */
@Configuration(proxyBeanMethods = false)
public class DatabaseConfig {

  @Bean(destroyMethod = "close")
  EmbeddedPostgresHolder embeddedPostgres(CentralProperties props, ProductionGuard productionGuard)
      throws Exception {
    if (!props.db().embedded()) {
      return new EmbeddedPostgresHolder(null);
    }
    return new EmbeddedPostgresHolder(
        EmbeddedPostgresServer.start(
            props.dataDir().resolve("postgres"),
            props.db().embeddedPort(),
            props.db().user(),
            props.db().password()));
  }

  @Bean(destroyMethod = "close")
  HikariDataSource dataSource(
      CentralProperties props, EmbeddedPostgresHolder embedded, ProductionGuard productionGuard) {
    HikariConfig cfg = new HikariConfig();
    cfg.setPoolName("outpost-central");
    cfg.setJdbcUrl(embedded.server() != null ? embedded.server().jdbcUrl() : props.db().url());
    cfg.setUsername(props.db().user());
    cfg.setPassword(props.db().password());
    cfg.setMaximumPoolSize(10);
    // Fail fast while PostgreSQL is down: the ingest loop retries with its own backoff.
    cfg.setConnectionTimeout(5_000);
    cfg.setInitializationFailTimeout(60_000);
    return new HikariDataSource(cfg);
  }

  /** Null-safe holder so the embedded server is started (and stopped) only when needed. */
  public record EmbeddedPostgresHolder(EmbeddedPostgresServer server) implements AutoCloseable {
    @Override
    public void close() throws Exception {
      if (server != null) {
        server.close();
      }
    }
  }
}
