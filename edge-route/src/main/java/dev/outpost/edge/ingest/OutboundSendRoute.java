package dev.outpost.edge.ingest;

import dev.outpost.contracts.Destinations;
import dev.outpost.edge.config.EdgeProperties;
import dev.outpost.edge.ledger.LedgerEntry;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * Durable, synchronous send of one ledger row to {@code outpost.outbound}. The broker drops a
 * second copy with the same {@code _AMQ_DUPL_ID}; the group keeps one terminal's order when
 * central runs several consumers.
 */
@Component
public class OutboundSendRoute extends RouteBuilder {
  public static final String URI = "direct:outbound-send";
  /** Persistent, one-way; Artemis blocks the send until the journal has synced it. */
  static final String OUTBOUND =
      "jms:queue:" + Destinations.OUTBOUND + "?exchangePattern=InOnly&deliveryPersistent=true";
  static final String DUPLICATE_ID = "_AMQ_DUPL_ID";
  static final String GROUP_ID = "JMSXGroupID";

  private final String terminalId;

  public OutboundSendRoute(EdgeProperties props) {
    this.terminalId = props.terminalId();
  }

  @Override
  public void configure() {
    // The caller (append stage or repair) decides what a failed send means.
    errorHandler(noErrorHandler());

    from(URI)
        .routeId("outbound-send")
        .process(this::toMessage)
        .to(OUTBOUND);
  }

  private void toMessage(Exchange exchange) throws Exception {
    Message m = exchange.getMessage();
    LedgerEntry entry = m.getMandatoryBody(LedgerEntry.class);
    // Only the headers set here become JMS properties.
    m.removeHeaders("*");
    m.setHeader(DUPLICATE_ID, entry.operationId());
    m.setHeader(GROUP_ID, terminalId);
    m.setHeader(Destinations.HDR_OPERATION_ID, entry.operationId());
    m.setHeader(Destinations.HDR_TERMINAL_ID, terminalId);
    m.setHeader(Destinations.HDR_TYPE, entry.type());
    m.setHeader(Destinations.HDR_SEQUENCE, Long.toString(entry.sequence()));
    m.setBody(entry.envelopeJson());
  }
}
