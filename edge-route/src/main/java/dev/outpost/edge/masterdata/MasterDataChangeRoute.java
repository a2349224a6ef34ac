package dev.outpost.edge.masterdata;

import dev.outpost.contracts.Contracts;
import dev.outpost.contracts.MasterDataChange;
import dev.outpost.contracts.MasterDataSets;
import dev.outpost.edge.broker.TerminalDeadLetters;
import java.time.Instant;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.dataformat.JsonDataFormat;
import org.apache.camel.model.dataformat.JsonLibrary;
import org.springframework.stereotype.Component;

/**
 * Central's master-data changes for this terminal, consumed from central's broker in a local JMS
 * transaction: acknowledged only after the Derby cache committed. Redelivery and reordering are
 * harmless: the cache keeps the highest version of each record.
 */
@Component
public class MasterDataChangeRoute extends RouteBuilder {

  /** Same connection pattern as the receipts: quiet reconnects while central is away. */
  static final String CHANGES =
      "central:queue:{{outpost.masterdata.queue}}?transacted=true&lazyCreateTransactionManager=false"
          + "&concurrentConsumers=1&asyncStartListener=true"
          + "&consumerType=Custom&messageListenerContainerFactory=#centralListenerContainerFactory";

  static final String MAPPER = "masterDataChangeMapper";

  private final MasterDataStore store;
  private final TerminalDeadLetters deadLetters;

  public MasterDataChangeRoute(MasterDataStore store, TerminalDeadLetters deadLetters) {
    this.store = store;
    this.deadLetters = deadLetters;
  }

  private void keepUnreadable(Exchange exchange) {
    Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
    deadLetters.put(
        SOURCE,
        exchange.getMessage().getBody(String.class),
        "not a master-data change: " + (e == null ? "unreadable" : e.getMessage()));
  }

  private void keepUnknown(Exchange exchange) throws Exception {
    MasterDataChange change = exchange.getMessage().getBody(MasterDataChange.class);
    deadLetters.put(
        SOURCE,
        Contracts.mapper().writeValueAsString(change),
        change != null && change.id() == null
            ? "a change without id"
            : "a change of a set this terminal does not know");
  }

  static final String SOURCE = "masterdata";

  @Override
  public void configure() {
    onException(Exception.class)
        .id("masterdata-changes-on-failure-redeliver")
        .maximumRedeliveries(3)
        .redeliveryDelay(1000)
        .handled(false)
        .getRedeliveryPolicyType()
        .setId("masterdata-changes-redeliver-3x-1s");

    // Jackson with the contracts' mapper (exact decimals), copied so the data format cannot change
    // the shared one; a model data format (not an instance) so Hawtio's diagram shows the step.
    bindToRegistry(MAPPER, Contracts.mapper().copy());
    JsonDataFormat change = new JsonDataFormat(JsonLibrary.Jackson);
    change.setUnmarshalType(MasterDataChange.class);
    change.setObjectMapper(MAPPER);

    from(CHANGES)
        .routeId("masterdata-changes")
        // Only the body is used; no header from the outside steers anything.
        .removeHeaders("*")
        .id("masterdata-changes-drop-headers")
        // A change that cannot be read goes to the terminal's dead-letter queue and is
        // acknowledged:
        // redelivering it would not help.
        .doTry()
        .id("read-change")
        .unmarshal(change)
        .id("parse-change")
        .doCatch(Exception.class)
        .id("on-unreadable-change")
        .process(this::keepUnreadable)
        .id("keep-unreadable-change-in-terminal-dlq")
        .stop()
        .id("stop-after-unreadable-change")
        .end()
        .choice()
        .id("known-set-and-id")
        .when(MasterDataChangeRoute::isKnown)
        .id("is-known-change")
        .process(e -> store.apply(e.getMessage().getBody(MasterDataChange.class), Instant.now()))
        .id("apply-change-to-cache")
        .otherwise()
        .id("is-unknown-change")
        .process(this::keepUnknown)
        .id("keep-unknown-change-in-terminal-dlq")
        .end();
  }

  private static boolean isKnown(Exchange exchange) {
    MasterDataChange change = exchange.getMessage().getBody(MasterDataChange.class);
    return change != null && change.id() != null && MasterDataSets.isKnown(change.set());
  }
}
