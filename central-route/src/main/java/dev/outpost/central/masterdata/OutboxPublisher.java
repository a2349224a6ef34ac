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
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Publishes captured master-data changes to every registered terminal's queue, then deletes
 * exactly the outbox rows it sent. The sends of one batch are one broker transaction, committed
 * before the delete: a crash in between re-publishes the batch, which terminals ignore (they keep
 * the highest version). Rows are read and deleted by id, never by a watermark, so a transaction
 * that commits late is simply picked up by a later batch.
 */
@Component
public class OutboxPublisher {
  private static final Logger LOG = LoggerFactory.getLogger(OutboxPublisher.class);
  static final String PENDING =
      "select id, set_name, record_id, version, row_data::text as row_data from masterdata_outbox"
          + " order by id limit :limit";
  // A revoked terminal gets nothing more (it resyncs by checksum once enrolled again).
  static final String TERMINALS = "select terminal_id from terminals where revoked_at is null order by terminal_id";
  static final String DELETE_SENT = "delete from masterdata_outbox where id in (:ids)";
  public static final String HDR_SET = "set";
  public static final String HDR_VERSION = "version";

  private final NamedParameterJdbcTemplate jdbc;
  private final ConnectionFactory connectionFactory;
  private final int batchSize;

  public OutboxPublisher(
      NamedParameterJdbcTemplate jdbc,
      ConnectionFactory connectionFactory,
      @Value("${outpost.masterdata.publish-batch-size:500}") int batchSize) {
    this.jdbc = jdbc;
    this.connectionFactory = connectionFactory;
    this.batchSize = batchSize;
  }

  /** One batch; returns how many changes it handled (the route repeats while batches are full). */
  public int publishBatch() throws JMSException {
    List<Map<String, Object>> rows = jdbc.queryForList(PENDING, Map.of("limit", batchSize));
    if (rows.isEmpty()) {
      return 0;
    }
    List<String> terminals =
        jdbc.queryForList(TERMINALS, Map.of(), String.class).stream().filter(TerminalIds::isValid).toList();
    List<Long> ids = new ArrayList<>(rows.size());
    List<MasterDataChange> changes = new ArrayList<>(rows.size());
    for (Map<String, Object> row : rows) {
      ids.add(((Number) row.get("id")).longValue());
      MasterSet.of((String) row.get("set_name"))
          .ifPresentOrElse(
              set ->
                  changes.add(
                      MasterRows.change(
                          set, (String) row.get("record_id"), ((Number) row.get("version")).longValue(),
                          (String) row.get("row_data"))),
              () -> LOG.warn("Outbox row {} names unknown set {}; dropped", row.get("id"), row.get("set_name")));
    }
    if (!terminals.isEmpty() && !changes.isEmpty()) {
      send(terminals, changes);
    }
    jdbc.update(DELETE_SENT, Map.of("ids", ids));
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
