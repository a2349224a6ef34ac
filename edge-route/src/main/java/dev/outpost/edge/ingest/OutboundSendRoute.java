package dev.outpost.edge.ingest;

import dev.outpost.contracts.Destinations;
import dev.outpost.contracts.Lane;
import dev.outpost.edge.config.EdgeProperties;
import dev.outpost.edge.ledger.LedgerEntry;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * Durable, synchronous send of one ledger row to the queue of its priority lane ({@code
 * outpost.outbound.critical|normal|bulk}, each bridged on its own). The broker drops a second copy
 * with the same {@code _AMQ_DUPL_ID}; the group {@code <terminal>:<lane>} keeps a terminal's lane
 * in order when central runs several consumers, and the JMS priority lets central's queue hand out
 * critical operations first.
 */
@Component
public class OutboundSendRoute extends RouteBuilder {
  public static final String URI = "direct:outbound-send";

  /** Persistent, one-way; Artemis blocks the send until the journal has synced it. */
  static final String CRITICAL = endpoint(Lane.CRITICAL);

  static final String NORMAL = endpoint(Lane.NORMAL);
  static final String BULK = endpoint(Lane.BULK);
  static final String LANE = "outpostLane";
  static final String DUPLICATE_ID = "_AMQ_DUPL_ID";
  static final String GROUP_ID = "JMSXGroupID";

  private final String terminalId;
  private final LaneMap lanes;

  public OutboundSendRoute(EdgeProperties props, LaneMap lanes) {
    this.terminalId = props.terminalId();
    this.lanes = lanes;
  }

  private static String endpoint(Lane lane) {
    return "jms:queue:"
        + Destinations.outbound(lane)
        + "?exchangePattern=InOnly&deliveryPersistent=true&explicitQosEnabled=true&priority="
        + lane.jmsPriority;
  }

  @Override
  public void configure() {
    // The caller (append stage or repair) decides what a failed send means.
    errorHandler(noErrorHandler());

    from(URI)
        .routeId("outbound-send")
        .process(this::toMessage)
        .id("envelope-to-jms-message")
        .choice()
        .id("route-by-lane")
        .when(exchangeProperty(LANE).isEqualTo(Lane.CRITICAL))
        .id("lane-critical")
        .to(CRITICAL)
        .id("send-critical-lane")
        .when(exchangeProperty(LANE).isEqualTo(Lane.NORMAL))
        .id("lane-normal")
        .to(NORMAL)
        .id("send-normal-lane")
        .otherwise()
        .id("lane-bulk")
        .to(BULK)
        .id("send-bulk-lane")
        .end();
  }

  private void toMessage(Exchange exchange) throws Exception {
    Message m = exchange.getMessage();
    LedgerEntry entry = m.getMandatoryBody(LedgerEntry.class);
    // Only the headers set here become JMS properties.
    m.removeHeaders("*");
    Lane lane = lanes.of(entry.type());
    exchange.setProperty(LANE, lane);
    m.setHeader(DUPLICATE_ID, entry.operationId());
    m.setHeader(GROUP_ID, terminalId + ":" + lane.id());
    m.setHeader(Destinations.HDR_OPERATION_ID, entry.operationId());
    m.setHeader(Destinations.HDR_TERMINAL_ID, terminalId);
    m.setHeader(Destinations.HDR_TYPE, entry.type());
    m.setHeader(Destinations.HDR_SEQUENCE, Long.toString(entry.sequence()));
    m.setBody(entry.envelopeJson());
  }
}
