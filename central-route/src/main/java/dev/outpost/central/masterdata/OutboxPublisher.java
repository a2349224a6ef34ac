package dev.outpost.central.masterdata;

import dev.outpost.contracts.Destinations;
import dev.outpost.contracts.MasterDataChange;
import dev.outpost.contracts.MasterDataChanges;
import dev.outpost.contracts.TerminalIds;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

  /** How many changes a message holds (for people browsing the queue). */
  public static final String HDR_CHANGE_COUNT = "changeCount";

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

  /**
   * One message per terminal with the batch's changes, each record at its latest version only
   * (terminals keep the highest version, so the older ones would change nothing): a visit whose
   * consumed amount rose with every sale of a busy bracelet travels once per batch, not per sale.
   */
  private void send(List<String> terminals, List<MasterDataChange> changes) throws JMSException {
    Map<String, MasterDataChange> latest = new LinkedHashMap<>();
    for (MasterDataChange c : changes) {
      latest.merge(c.set() + "/" + c.id(), c, (a, b) -> a.version() >= b.version() ? a : b);
    }
    String body = MasterRows.write(new MasterDataChanges(List.copyOf(latest.values())));
    try (Connection connection = connectionFactory.createConnection()) {
      Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
      MessageProducer producer = session.createProducer(null);
      producer.setDeliveryMode(DeliveryMode.PERSISTENT);
      for (String terminal : terminals) {
        TextMessage m = session.createTextMessage(body);
        m.setIntProperty(HDR_CHANGE_COUNT, latest.size());
        producer.send(session.createQueue(Destinations.masterData(terminal)), m);
      }
      session.commit();
    }
  }
}
