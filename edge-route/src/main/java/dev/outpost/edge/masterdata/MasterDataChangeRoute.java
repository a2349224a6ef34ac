package dev.outpost.edge.masterdata;

import dev.outpost.contracts.Contracts;
import dev.outpost.contracts.MasterDataChange;
import dev.outpost.contracts.MasterDataChanges;
import dev.outpost.contracts.MasterDataSets;
import dev.outpost.edge.broker.TerminalDeadLetters;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.dataformat.JsonDataFormat;
import org.apache.camel.model.dataformat.JsonLibrary;
import org.springframework.stereotype.Component;

/**
 * Central's master-data changes for this terminal, a batch per message ({@link MasterDataChanges}),
 * consumed from central's broker in a local JMS transaction: acknowledged only after the Derby
 * cache committed the batch. Redelivery and reordering are harmless: the cache keeps the highest
 * version of each record.
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

  /** The known changes in one Derby transaction; each unknown one into the terminal's DLQ. */
  private void apply(Exchange exchange) throws Exception {
    List<MasterDataChange> known = new ArrayList<>();
    for (MasterDataChange change :
        exchange.getMessage().getBody(MasterDataChanges.class).changes()) {
      if (isKnown(change)) {
        known.add(change);
      } else {
        deadLetters.put(
            SOURCE,
            Contracts.mapper().writeValueAsString(change),
            change != null && change.id() == null
                ? "a change without id"
                : "a change of a set this terminal does not know");
      }
    }
    if (!known.isEmpty()) {
      store.applyAll(known, Instant.now());
    }
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
    change.setUnmarshalType(MasterDataChanges.class);
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
        // Known changes go to the cache together; one of an unknown set, or without id, is kept in
        // the terminal's DLQ (shown on the operator page) and does not hold up the others.
        .process(this::apply)
        .id("apply-changes-to-cache-keep-unknown-in-terminal-dlq");
  }

  private static boolean isKnown(MasterDataChange change) {
    return change != null && change.id() != null && MasterDataSets.isKnown(change.set());
  }
}
