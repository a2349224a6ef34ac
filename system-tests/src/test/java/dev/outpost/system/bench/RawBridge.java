package dev.outpost.system.bench;

import dev.outpost.system.harness.Ports;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientConsumer;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientProducer;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.apache.activemq.artemis.core.config.BridgeConfiguration;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;

/**
 * The raw limit of a backlog drain's first leg: a core bridge alone, between two embedded Artemis
 * brokers in this process with the terminal's journal settings (persistent, datasync), moving a
 * backlog of durable messages of one operation's size into a bare consumer on the other side, with
 * the edge bridge's duplicate detection and windows. Plain TCP on loopback (the terminal's bridge
 * adds TLS), so it is an upper bound.
 */
final class RawBridge {
  private RawBridge() {}

  /** Messages per second from the bridge's start until the consumer has all {@code count}. */
  static double drain(Path dir, int count, String body) throws Exception {
    int port = Ports.free();
    EmbeddedActiveMQ target = new EmbeddedActiveMQ().setConfiguration(broker(dir, "target"));
    target.getConfiguration().addAcceptorConfiguration("tcp", "tcp://127.0.0.1:" + port);
    target.getConfiguration().addQueueConfiguration(queue("raw.in"));
    EmbeddedActiveMQ source = new EmbeddedActiveMQ().setConfiguration(broker(dir, "source"));
    source.getConfiguration().addAcceptorConfiguration("in-vm", "vm://78");
    source.getConfiguration().addConnectorConfiguration("target", "tcp://127.0.0.1:" + port);
    source.getConfiguration().addQueueConfiguration(queue("raw.out"));
    target.start();
    source.start();
    try (ServerLocator in = ActiveMQClient.createServerLocator("vm://78");
        ClientSessionFactory f = in.createSessionFactory();
        ClientSession s = f.createSession(false, true, true)) {
      // The backlog, before the bridge exists (as during an outage).
      ClientProducer p = s.createProducer("raw.out");
      for (int i = 0; i < count; i++) {
        ClientMessage m =
            s.createMessage(org.apache.activemq.artemis.api.core.Message.TEXT_TYPE, true);
        m.getBodyBuffer()
            .writeNullableSimpleString(org.apache.activemq.artemis.api.core.SimpleString.of(body));
        m.putStringProperty("_AMQ_DUPL_ID", "raw-" + i);
        p.send(m);
      }
      try (ServerLocator out = ActiveMQClient.createServerLocator("tcp://127.0.0.1:" + port);
          ClientSessionFactory g = out.createSessionFactory();
          ClientSession t = g.createSession(false, true, true)) {
        CountDownLatch all = new CountDownLatch(count);
        ClientConsumer consumer = t.createConsumer("raw.in");
        consumer.setMessageHandler(
            m -> {
              all.countDown();
            });
        t.start();
        long t0 = System.nanoTime();
        source
            .getActiveMQServer()
            .deployBridge(
                new BridgeConfiguration()
                    .setName("raw-bridge")
                    .setQueueName("raw.out")
                    .setForwardingAddress("raw.in")
                    .setStaticConnectors(List.of("target"))
                    .setUseDuplicateDetection(true)
                    .setConfirmationWindowSize(1024 * 1024)
                    .setProducerWindowSize(1024 * 1024)
                    .setReconnectAttempts(-1));
        if (!all.await(10, TimeUnit.MINUTES)) {
          throw new IllegalStateException("the raw bridge moved " + (count - all.getCount()));
        }
        return count / ((System.nanoTime() - t0) / 1e9);
      }
    } finally {
      source.stop();
      target.stop();
    }
  }

  private static Configuration broker(Path dir, String name) {
    Path d = dir.resolve("raw-bridge-" + name);
    return new ConfigurationImpl()
        .setName(name)
        .setPersistenceEnabled(true)
        .setJournalType(JournalType.NIO)
        .setJournalDatasync(true)
        .setJournalBufferTimeout_NIO(200_000)
        .setJournalDirectory(d.resolve("journal").toString())
        .setBindingsDirectory(d.resolve("bindings").toString())
        .setPagingDirectory(d.resolve("paging").toString())
        .setLargeMessagesDirectory(d.resolve("large").toString())
        .setSecurityEnabled(false);
  }

  private static QueueConfiguration queue(String name) {
    return QueueConfiguration.of(name).setRoutingType(RoutingType.ANYCAST).setDurable(true);
  }
}
