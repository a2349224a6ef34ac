package dev.outpost.edge.ledger;

import dev.outpost.edge.config.EdgeProperties;
import java.sql.DriverManager;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Shuts the Derby database down cleanly when the app stops (a checkpoint, so the next start needs
 * no log recovery). Depends on the DataSource, so it runs after everything using it stopped.
 */
@Component
class DerbyShutdown implements DisposableBean {
  private static final Logger LOG = LoggerFactory.getLogger(DerbyShutdown.class);

  /** Derby signals a successful single-database shutdown with this SQLState. */
  private static final String SHUTDOWN_OK = "08006";

  private final EdgeProperties props;

  DerbyShutdown(EdgeProperties props, DataSource dataSource) {
    this.props = props;
  }

  @Override
  public void destroy() {
    try {
      DriverManager.getConnection(
              "jdbc:derby:" + props.derbyDir().toAbsolutePath() + ";shutdown=true")
          .close();
    } catch (SQLException e) {
      if (!SHUTDOWN_OK.equals(e.getSQLState())) {
        LOG.warn("Derby did not shut down cleanly: {}", e.toString());
      }
    }
  }
}
