package dev.outpost.edge.ingest;

import dev.outpost.contracts.Destinations;
import dev.outpost.contracts.Lane;
import dev.outpost.edge.config.EdgeProperties;
import dev.outpost.edge.ledger.LedgerEntry;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/**
 * Durable sends of ledger rows to the queue of their priority lane ({@code
 * outpost.outbound.critical|normal|bulk}, each bridged on its own). The broker drops a second copy
 * with the same {@code _AMQ_DUPL_ID}; the group {@code <terminal>:<lane>} keeps a terminal's lane
 * in order when central runs several consumers, and the JMS priority lets central's queue hand out
 * critical operations first; {@code lanePrevious} names the operation before each in its lane
 * ({@link LanePredecessors}). Only the properties set here travel: nothing from HTTP reaches them.
 */
@Component
public class OutboundSender {
  static final String DUPLICATE_ID = "_AMQ_DUPL_ID";
  static final String GROUP_ID = "JMSXGroupID";

  private final ConnectionFactory local;
  private final String terminalId;
  private final LaneMap lanes;
  private final LanePredecessors predecessors;

  public OutboundSender(
      @Qualifier("localConnectionFactory") ConnectionFactory local,
      EdgeProperties props,
      LaneMap lanes,
      LanePredecessors predecessors) {
    this.local = local;
    this.terminalId = props.terminalId();
    this.lanes = lanes;
    this.predecessors = predecessors;
  }

  /**
   * All rows in one transaction, in the given (sequence) order: one journal sync for the group.
   * Returns when the broker has committed them.
   */
  void sendTogether(List<LedgerEntry> entries) throws JMSException {
    try (Connection c = local.createConnection()) {
      Session s = c.createSession(true, Session.SESSION_TRANSACTED);
      try {
        LanePredecessors.Chain chain = predecessors.of(entries);
        send(s, entries, chain);
        s.commit();
        predecessors.sent(chain);
      } finally {
        s.close();
      }
    }
  }

  /**
   * One row at a time, each a blocking durable send: what is already in the queue is dropped by its
   * duplicate id, so this is safe after a send whose outcome nobody knows.
   */
  void sendOneByOne(List<LedgerEntry> entries) throws JMSException {
    try (Connection c = local.createConnection()) {
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      try {
        LanePredecessors.Chain chain = predecessors.of(entries);
        send(s, entries, chain);
        predecessors.sent(chain);
      } finally {
        s.close();
      }
    }
  }

  private void send(Session s, List<LedgerEntry> entries, LanePredecessors.Chain chain)
      throws JMSException {
    Map<Lane, MessageProducer> producers = new EnumMap<>(Lane.class);
    for (LedgerEntry entry : entries) {
      Lane lane = lanes.of(entry.type());
      MessageProducer p =
          producers.computeIfAbsent(
              lane,
              l -> {
                try {
                  MessageProducer created =
                      s.createProducer(s.createQueue(Destinations.outbound(l)));
                  created.setDeliveryMode(DeliveryMode.PERSISTENT);
                  created.setPriority(l.jmsPriority);
                  return created;
                } catch (JMSException e) {
                  throw new IllegalStateException(e);
                }
              });
      TextMessage m = s.createTextMessage(entry.envelopeJson());
      m.setStringProperty(DUPLICATE_ID, entry.operationId());
      m.setStringProperty(GROUP_ID, terminalId + ":" + lane.id());
      m.setStringProperty(Destinations.HDR_OPERATION_ID, entry.operationId());
      m.setStringProperty(Destinations.HDR_TERMINAL_ID, terminalId);
      m.setStringProperty(Destinations.HDR_TYPE, entry.type());
      m.setStringProperty(Destinations.HDR_SEQUENCE, Long.toString(entry.sequence()));
      m.setStringProperty(Destinations.HDR_LANE_PREVIOUS, Long.toString(chain.of(entry)));
      p.send(m);
    }
  }
}
