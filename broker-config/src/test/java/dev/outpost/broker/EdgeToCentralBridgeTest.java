package dev.outpost.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real edge and central brokers, loaded from the module's broker.xml files, bridged over TCP. */
class EdgeToCentralBridgeTest {
  @TempDir Path dir;

  @Test
  void outboundMessagesReachCentralOnceOnTheTerminalsOwnAddress() throws Exception {
    int port = freePort();
    try (EmbeddedBroker central =
            EmbeddedBroker.start(
                EmbeddedBroker.Role.CENTRAL,
                Map.of("dataDir", dir.resolve("central").toString(), "brokerPort", "" + port, "brokerHost", "127.0.0.1", "inVmId", "10"));
        EmbeddedBroker edge =
            EmbeddedBroker.start(
                EmbeddedBroker.Role.EDGE,
                Map.of(
                    "dataDir", dir.resolve("edge").toString(),
                    "terminalId", "till-7",
                    "inVmId", "11",
                    "centralBrokerUrl", "tcp://127.0.0.1:" + port))) {
      await().atMost(Duration.ofSeconds(20)).until(() -> java.util.Arrays.stream(dev.outpost.contracts.Lane.values()).allMatch(l -> edge.bridge(EdgeBridge.name(l)).isConnected()));

      var edgeCf = new ActiveMQConnectionFactory("vm://11");
      String opId = UUID.randomUUID().toString();
      try (Connection c = edgeCf.createConnection()) {
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageProducer p = s.createProducer(s.createQueue("outpost.outbound.critical"));
        p.setDeliveryMode(DeliveryMode.PERSISTENT);
        for (int i = 0; i < 2; i++) { // same duplicate id twice: the edge broker keeps one
          TextMessage m = s.createTextMessage("{\"n\":1}");
          m.setStringProperty("_AMQ_DUPL_ID", opId);
          m.setStringProperty("JMSXGroupID", "till-7");
          p.send(m);
        }
      }

      var centralCf = new ActiveMQConnectionFactory("tcp://127.0.0.1:" + port);
      try (Connection c = centralCf.createConnection()) {
        c.start();
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer consumer = s.createConsumer(s.createQueue("outpost.ops.in.*::outpost.ops.inbound"));
        Message got = consumer.receive(20_000);
        assertThat(got).isNotNull();
        assertThat(((TextMessage) got).getText()).isEqualTo("{\"n\":1}");
        assertThat(((org.apache.activemq.artemis.jms.client.ActiveMQDestination) got.getJMSDestination()).getAddress()).isEqualTo("outpost.ops.in.till-7");
        assertThat(got.getStringProperty("JMSXGroupID")).isEqualTo("till-7");
        assertThat(consumer.receive(1_000)).as("duplicate must not arrive").isNull();
      }
      await().atMost(Duration.ofSeconds(10))
          .until(() -> edge.server().locateQueue("outpost.outbound.critical").getMessageCount() == 0);
    }
  }

  @Test
  void missingRequiredSettingStopsStartUpNamingIt() {
    assertThatThrownBy(
            () -> EmbeddedBroker.start(EmbeddedBroker.Role.EDGE, Map.of("dataDir", dir.resolve("x").toString())))
        .hasMessageContaining("terminalId")
        .hasMessageContaining("centralBrokerUrl");
  }

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
