package dev.outpost.edge.receipts;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * Central's receipts for this terminal, consumed in a local JMS transaction: the message is
 * acknowledged only after the ledger update committed, so a crash in between means a redelivery,
 * which {@link ReceiptHandler} treats idempotently.
 */
@Component
public class ReceiptRoute extends RouteBuilder {
  /**
   * asyncStartListener: central being away at start-up must not hold up or fail the app; the custom
   * container factory keeps reconnect attempts out of the ERROR log.
   */
  static final String RECEIPTS =
      "central:queue:{{outpost.receipts.queue}}?transacted=true&lazyCreateTransactionManager=false"
          + "&concurrentConsumers=1&asyncStartListener=true"
          + "&consumerType=Custom&messageListenerContainerFactory=#centralListenerContainerFactory";

  private final ReceiptHandler handler;

  public ReceiptRoute(ReceiptHandler handler) {
    this.handler = handler;
  }

  @Override
  public void configure() {
    // A ledger failure (e.g. Derby busy) is retried here a few times, then rolled back to the
    // broker, which redelivers; nothing is acknowledged before the update committed.
    onException(Exception.class)
        .id("receipts-on-failure-redeliver")
        .maximumRedeliveries(3)
        .redeliveryDelay(1000)
        .handled(false)
        .getRedeliveryPolicyType()
        .setId("receipts-redeliver-3x-1s");

    from(RECEIPTS)
        .routeId("receipts")
        // Only the body is used; no header from the outside steers anything.
        .removeHeaders("*")
        .id("receipts-drop-headers")
        .process(handler)
        .id("apply-receipt-to-ledger");
  }
}
