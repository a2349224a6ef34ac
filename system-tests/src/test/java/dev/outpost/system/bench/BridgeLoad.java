package dev.outpost.system.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.system.harness.Central;
import dev.outpost.system.harness.Ops;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientProducer;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;

/**
 * Many terminals' bridges at once, without a terminal process each: one core connection per
 * enrolled terminal, over TLS with its own credentials, sending durable messages to its own inbound
 * address as a core bridge does (asynchronous sends within a confirmation window, duplicate id,
 * message group {@code <terminal>:critical}, sequence numbers from 1).
 */
final class BridgeLoad {
  private BridgeLoad() {}

  /**
   * Sends {@code perTerminal} sales from each terminal, all terminals at once; returns when sent.
   */
  static void send(Central central, List<String> terminals, int perTerminal, int visits)
      throws Exception {
    send(central, terminals, perTerminal, visits, 0);
  }

  /**
   * As {@link #send(Central, List, int, int)}, each terminal at a steady {@code perSecond} (0: as
   * fast as it can), each sale's {@code occurredAt} the moment it is sent (so central's {@code
   * received_at - occurred_at} is its send-to-row latency).
   */
  static void send(
      Central central, List<String> terminals, int perTerminal, int visits, int perSecond)
      throws Exception {
    List<Thread> threads = new ArrayList<>();
    List<Throwable> failures = new ArrayList<>();
    for (String terminal : terminals) {
      String secret = central.secret(terminal);
      threads.add(
          Threads.start(
              () -> {
                try {
                  sendAs(central.tlsUrl(), terminal, secret, perTerminal, visits, perSecond);
                } catch (Throwable e) {
                  synchronized (failures) {
                    failures.add(e);
                  }
                }
              }));
    }
    for (Thread t : threads) {
      t.join();
    }
    if (!failures.isEmpty()) {
      throw new IllegalStateException("a simulated bridge failed", failures.get(0));
    }
  }

  private static void sendAs(
      String url, String terminal, String secret, int count, int visits, int perSecond)
      throws Exception {
    long start = System.nanoTime();
    String address = "outpost.ops.in." + terminal;
    try (ServerLocator locator =
            ActiveMQClient.createServerLocator(url)
                .setConfirmationWindowSize(1024 * 1024)
                .setProducerWindowSize(1024 * 1024)
                .setBlockOnDurableSend(false);
        ClientSessionFactory factory = locator.createSessionFactory();
        ClientSession session =
            factory.createSession(terminal, secret, false, true, true, false, 0)) {
      if (!session.addressQuery(SimpleString.of(address)).isExists()) {
        session.createAddress(SimpleString.of(address), RoutingType.ANYCAST, true);
      }
      ClientProducer producer = session.createProducer(address);
      for (long seq = 1; seq <= count; seq++) {
        if (perSecond > 0) {
          long due = start + (seq - 1) * 1_000_000_000L / perSecond;
          long wait = due - System.nanoTime();
          if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
          }
        }
        ObjectNode op = Ops.sale(Ops.newId(), 1);
        op.put("occurredAt", Instant.now().toString());
        ((ObjectNode) op.get("payload"))
            .put("braceletId", "B-BENCH-" + (1 + Math.floorMod(terminal.hashCode() + seq, visits)));
        op.put("terminalId", terminal);
        op.put("sequence", seq);
        op.put("schemaVersion", 1);
        String id = op.get("operationId").asText();
        ClientMessage m =
            session.createMessage(org.apache.activemq.artemis.api.core.Message.TEXT_TYPE, true);
        m.getBodyBuffer().writeNullableSimpleString(SimpleString.of(Ops.json(op)));
        m.setRoutingType(RoutingType.ANYCAST);
        m.putStringProperty("_AMQ_DUPL_ID", id);
        m.putStringProperty("JMSXGroupID", terminal + ":critical");
        m.putStringProperty("operationId", id);
        m.putStringProperty("terminalId", terminal);
        m.putStringProperty("type", "sale.recorded");
        m.putStringProperty("sequence", Long.toString(seq));
        producer.send(m);
      }
      producer.close();
    }
  }
}
