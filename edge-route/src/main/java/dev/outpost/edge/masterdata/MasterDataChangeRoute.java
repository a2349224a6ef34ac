package dev.outpost.edge.masterdata;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outpost.contracts.Contracts;
import dev.outpost.contracts.MasterDataChange;
import dev.outpost.contracts.MasterDataSets;
import java.time.Instant;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Central's master-data changes for this terminal, consumed from central's broker in a local JMS
 * transaction: acknowledged only after the Derby cache committed. Redelivery and reordering are
 * harmless: the cache keeps the highest version of each record.
 */
@Component
public class MasterDataChangeRoute extends RouteBuilder {
  private static final Logger LOG = LoggerFactory.getLogger(MasterDataChangeRoute.class);

  /** Same connection pattern as the receipts: quiet reconnects while central is away. */
  static final String CHANGES =
      "central:queue:{{outpost.masterdata.queue}}?transacted=true&lazyCreateTransactionManager=false"
          + "&concurrentConsumers=1&asyncStartListener=true"
          + "&consumerType=Custom&messageListenerContainerFactory=#centralListenerContainerFactory";

  private final MasterDataStore store;

  public MasterDataChangeRoute(MasterDataStore store) {
    this.store = store;
  }

  @Override
  public void configure() {
    onException(Exception.class).maximumRedeliveries(3).redeliveryDelay(1000).handled(false);

    from(CHANGES)
        .routeId("masterdata-changes")
        // Only the body is used; no header from the outside steers anything.
        .removeHeaders("*")
        .process(this::apply);
  }

  private void apply(Exchange exchange) throws Exception {
    String text = exchange.getMessage().getBody(String.class);
    MasterDataChange change;
    try {
      JsonNode doc = Contracts.mapper().readTree(text == null ? "" : text);
      change = Contracts.mapper().convertValue(doc, MasterDataChange.class);
    } catch (Exception e) {
      LOG.warn("Dropping a master-data change that is not readable: {}", e.getMessage());
      return;
    }
    if (change == null || change.id() == null || !MasterDataSets.isKnown(change.set())) {
      LOG.warn("Dropping a master-data change of an unknown set or without id");
      return;
    }
    store.apply(change, Instant.now());
  }
}
