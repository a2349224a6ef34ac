package dev.outpost.central.masterdata;

import dev.outpost.contracts.Destinations;
import dev.outpost.contracts.MasterDataChange;
import dev.outpost.contracts.TerminalIds;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Publishes captured master-data changes to every registered terminal's queue, then deletes exactly
 * the outbox rows it sent. The sends of one batch are one broker transaction, committed before the
 * delete: a crash in between re-publishes the batch, which terminals ignore (they keep the highest
 * version). Rows are read and deleted by id, never by a watermark, so a transaction that commits
 * late is simply picked up by a later batch.
 */
@Component
public class OutboxPublisher {
  private static final Logger LOG = LoggerFactory.getLogger(OutboxPublisher.class);
  public static final String HDR_SET = "set";
  public static final String HDR_VERSION = "version";

  private final MasterDataRepository outbox;
  private final ConnectionFactory connectionFactory;
  private final int batchSize;

  public OutboxPublisher(
      MasterDataRepository outbox,
      ConnectionFactory connectionFactory,
      @Value("${outpost.masterdata.publish-batch-size:500}") int batchSize) {
    this.outbox = outbox;
    this.connectionFactory = connectionFactory;
    this.batchSize = batchSize;
  }

  /** One batch; returns how many changes it handled (the route repeats while batches are full). */
  public int publishBatch() throws JMSException {
    List<MasterDataRepository.OutboxRow> rows = outbox.pending(batchSize);
    if (rows.isEmpty()) {
      return 0;
    }
    List<String> terminals =
        outbox.activeTerminals().stream().filter(TerminalIds::isValid).toList();
    List<Long> ids = new ArrayList<>(rows.size());
    List<MasterDataChange> changes = new ArrayList<>(rows.size());
    for (MasterDataRepository.OutboxRow row : rows) {
      ids.add(row.id());
      MasterSet.of(row.setName())
          .ifPresentOrElse(
              set ->
                  changes.add(MasterRows.change(set, row.recordId(), row.version(), row.rowData())),
              () ->
                  LOG.warn("Outbox row {} names unknown set {}; dropped", row.id(), row.setName()));
    }
    if (!terminals.isEmpty() && !changes.isEmpty()) {
      send(terminals, changes);
    }
    outbox.deleteSent(ids);
    LOG.debug("Published {} master-data changes to {} terminals", changes.size(), terminals.size());
    return rows.size();
  }

  int batchSize() {
    return batchSize;
  }

  private void send(List<String> terminals, List<MasterDataChange> changes) throws JMSException {
    try (Connection connection = connectionFactory.createConnection()) {
      Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
      MessageProducer producer = session.createProducer(null);
      producer.setDeliveryMode(DeliveryMode.PERSISTENT);
      for (String terminal : terminals) {
        jakarta.jms.Queue queue = session.createQueue(Destinations.masterData(terminal));
        for (MasterDataChange change : changes) {
          TextMessage m = session.createTextMessage(MasterRows.write(change));
          m.setStringProperty(HDR_SET, change.set());
          m.setLongProperty(HDR_VERSION, change.version());
          producer.send(queue, m);
        }
      }
      session.commit();
    }
  }
}
