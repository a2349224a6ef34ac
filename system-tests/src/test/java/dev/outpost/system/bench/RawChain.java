package dev.outpost.system.bench;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * The raw limit of a terminal on this machine: what the terminal does for one operation, without
 * the terminal — a Derby insert of the ledger row and its commit (log synced), then a persistent
 * send to an embedded Artemis with the edge's journal settings (NIO, datasync, 200 µs buffer) that
 * blocks until the journal has it. In one process, one connection and session per client.
 */
final class RawChain implements AutoCloseable {
  private final EmbeddedActiveMQ broker;
  private final String derbyUrl;
  private final ActiveMQConnectionFactory cf;
  private final AtomicLong sequence = new AtomicLong();

  RawChain(Path dir) throws Exception {
    Configuration cfg =
        new ConfigurationImpl()
            .setPersistenceEnabled(true)
            .setJournalType(JournalType.NIO)
            .setJournalDatasync(true)
            .setJournalBufferTimeout_NIO(200_000)
            .setJournalDirectory(dir.resolve("journal").toString())
            .setBindingsDirectory(dir.resolve("bindings").toString())
            .setPagingDirectory(dir.resolve("paging").toString())
            .setLargeMessagesDirectory(dir.resolve("large").toString())
            .setSecurityEnabled(false)
            .addAcceptorConfiguration("in-vm", "vm://77");
    broker = new EmbeddedActiveMQ().setConfiguration(cfg);
    broker.start();
    cf = new ActiveMQConnectionFactory("vm://77");
    cf.setBlockOnDurableSend(true);
    derbyUrl = "jdbc:derby:" + dir.resolve("derby") + ";create=true";
    try (var c = DriverManager.getConnection(derbyUrl);
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE ledger (operation_id CHAR(36) NOT NULL PRIMARY KEY, sequence_no BIGINT"
              + " NOT NULL, op_type VARCHAR(100) NOT NULL, occurred_at VARCHAR(64) NOT NULL,"
              + " envelope CLOB(2M) NOT NULL, payload_hash CHAR(64) NOT NULL, status VARCHAR(16)"
              + " NOT NULL)");
    }
  }

  /** {@code clients} threads, each doing the chain as fast as it can for {@code duration}. */
  Result run(int clients, Duration duration, String envelope) throws Exception {
    List<Thread> threads = new ArrayList<>();
    List<Latencies> each = new ArrayList<>();
    long end = System.nanoTime() + duration.toNanos();
    List<Exception> failures = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      Latencies mine = new Latencies();
      each.add(mine);
      threads.add(
          Threads.start(
              () -> {
                try {
                  loop(end, envelope, mine);
                } catch (Exception e) {
                  synchronized (failures) {
                    failures.add(e);
                  }
                }
              }));
    }
    long start = System.nanoTime();
    for (Thread t : threads) {
      t.join();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    if (!failures.isEmpty()) {
      throw failures.get(0);
    }
    Latencies all = new Latencies();
    each.forEach(all::addAll);
    return new Result(all, all.count() / seconds);
  }

  record Result(Latencies latencies, double opsPerSecond) {}

  private void loop(long end, String envelope, Latencies out) throws Exception {
    try (var db = DriverManager.getConnection(derbyUrl);
        Connection jms = cf.createConnection()) {
      db.setAutoCommit(false);
      Session session = jms.createSession(false, Session.AUTO_ACKNOWLEDGE);
      MessageProducer producer = session.createProducer(session.createQueue("bench.raw"));
      producer.setDeliveryMode(DeliveryMode.PERSISTENT);
      PreparedStatement insert =
          db.prepareStatement("INSERT INTO ledger VALUES (?, ?, 'sale.recorded', ?, ?, ?, 'NEW')");
      while (System.nanoTime() < end) {
        long t0 = System.nanoTime();
        String id = UUID.randomUUID().toString();
        long seq = sequence.incrementAndGet();
        insert.setString(1, id);
        insert.setLong(2, seq);
        insert.setString(3, "2026-11-23T21:15:00Z");
        insert.setString(4, envelope);
        insert.setString(5, "0".repeat(64));
        insert.executeUpdate();
        db.commit();
        producer.send(session.createTextMessage(envelope));
        out.add(System.nanoTime() - t0);
      }
    }
  }

  @Override
  public void close() throws Exception {
    cf.close();
    broker.stop();
    try {
      DriverManager.getConnection(derbyUrl.replace(";create=true", ";shutdown=true"));
    } catch (SQLException expected) {
      // Derby reports a clean shutdown as an exception.
    }
  }
}
