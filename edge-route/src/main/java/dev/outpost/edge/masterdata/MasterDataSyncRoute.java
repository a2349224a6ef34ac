package dev.outpost.edge.masterdata;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/** Every few seconds: pull the master-data sets that are due (bootstrap, cadence, drift). */
@Component
public class MasterDataSyncRoute extends RouteBuilder {
  static final String TIMER =
      "timer:masterdata-sync?period={{outpost.masterdata.check-interval-ms:30000}}&delay=1000&synchronous=true";

  private final MasterDataSync sync;

  public MasterDataSyncRoute(MasterDataSync sync) {
    this.sync = sync;
  }

  @Override
  public void configure() {
    onException(Exception.class)
        .id("masterdata-sync-on-failure-retry-next-tick")
        .handled(true)
        .log(
            org.apache.camel.LoggingLevel.WARN,
            "Master-data pull failed (${exception}); retrying on the next tick")
        .id("masterdata-sync-log-retry");

    from(TIMER)
        .routeId("masterdata-sync")
        .process(e -> sync.syncDue(false))
        .id("pull-due-master-data");
  }
}
