package dev.outpost.central.config;

import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Central's one error policy, the place every central route gets its error handling from (named
 * with {@code routeConfigurationId(...)}):
 *
 * <ul>
 *   <li>{@link #ID} for routes that start work themselves (timers, the drop folder): a failure is
 *       handled and logged, nothing is lost, and the next tick or poll simply tries again (the
 *       outbox rows stay, the file stays in the inbox, the DLQ gauge keeps its last sample).
 *   <li>{@link #CALLER_RETRIES} for routes a caller waits on (the ingest batch): no Camel error
 *       handling at all, so the failure reaches the caller, which holds its messages unacknowledged
 *       and retries.
 * </ul>
 */
@Component
public class CentralErrorPolicy extends RouteConfigurationBuilder {
  public static final String ID = "central-error-policy";
  public static final String CALLER_RETRIES = "central-error-policy-caller-retries";
  private static final Logger LOG = LoggerFactory.getLogger(CentralErrorPolicy.class);

  @Override
  public void configuration() {
    routeConfiguration(ID)
        .onException(Exception.class)
        .id("on-failure-retry-next-tick")
        .handled(true)
        .log(
            LoggingLevel.WARN,
            LOG,
            "${routeId}: not done (${exception.message}); tried again on the next tick")
        .id("log-retry-next-tick")
        .end();

    routeConfiguration(CALLER_RETRIES).errorHandler(noErrorHandler());
  }
}
