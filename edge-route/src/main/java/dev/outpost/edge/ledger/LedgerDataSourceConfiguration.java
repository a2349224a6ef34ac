package dev.outpost.edge.ledger;

import com.zaxxer.hikari.HikariDataSource;
import dev.outpost.edge.config.EdgeProperties;
import java.io.IOException;
import java.nio.file.Files;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The ledger's DataSource: Boot's usual Hikari pool, after the data dir exists. */
@Configuration(proxyBeanMethods = false)
class LedgerDataSourceConfiguration {

  @Bean
  @ConfigurationProperties("spring.datasource.hikari")
  HikariDataSource dataSource(DataSourceProperties properties, EdgeProperties props)
      throws IOException {
    Files.createDirectories(props.dataDir());
    // Derby reads this once, when the engine boots: keep derby.log with the data, not in the
    // directory the app happened to be started from.
    if (System.getProperty("derby.stream.error.file") == null) {
      System.setProperty(
          "derby.stream.error.file",
          props.dataDir().resolve("derby.log").toAbsolutePath().toString());
    }
    return properties.initializeDataSourceBuilder().type(HikariDataSource.class).build();
  }
}
