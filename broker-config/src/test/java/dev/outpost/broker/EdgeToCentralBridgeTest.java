package dev.outpost.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.outpost.broker.security.FixedTerminalDirectory;
import dev.outpost.broker.security.OutpostSecurityManager;
import dev.outpost.broker.security.TerminalDirectory;
import dev.outpost.broker.security.TerminalSecrets;
import dev.outpost.broker.tls.LocalCertificates;
import dev.outpost.contracts.Lane;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.activemq.artemis.jms.client.ActiveMQDestination;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real edge and central brokers, loaded from the module's broker.xml files, bridged over TLS 1.3
 * with central's security on: terminals log in with their enrollment secret and may touch only
 * their own addresses.
 */
class EdgeToCentralBridgeTest {
  static final String SERVICE_PASSWORD = "service-secret";
  @TempDir Path dir;
  final FixedTerminalDirectory fleet = new FixedTerminalDirectory();

  /** The directory as central's broker sees it: the fleet, unless it is made unreachable. */
  volatile boolean directoryDown;

  final TerminalDirectory directory =
      new TerminalDirectory() {
        @Override
        public java.util.Optional<Credential> find(String terminalId) {
          if (directoryDown) {
            throw new IllegalStateException("directory unreachable (test)");
          }
          return fleet.find(terminalId);
        }

        @Override
        public List<Credential> revokedSince(java.time.Instant since) {
          if (directoryDown) {
            throw new IllegalStateException("directory unreachable (test)");
          }
          return fleet.revokedSince(since);
        }
      };
  EmbeddedBroker central;
  LocalCertificates tls;
  int port;

  @BeforeEach
  void startCentral() throws Exception {
    port = freePort();
    tls = LocalCertificates.ensure(dir.resolve("tls"), List.of());
    Map<String, String> settings = new HashMap<>();
    settings.put("dataDir", dir.resolve("central").toString());
    settings.put("brokerPort", "" + port);
    settings.put("brokerHost", "127.0.0.1");
    settings.put("inVmId", "10");
    settings.put("keyStorePath", tls.keyStorePath().toString());
    settings.put("keyStorePassword", tls.keyStorePassword());
    settings.put("clusterPassword", TerminalSecrets.generate());
    central =
        EmbeddedBroker.start(
            EmbeddedBroker.Role.CENTRAL,
            settings,
            new OutpostSecurityManager(
                Map.of("central", SERVICE_PASSWORD), directory, Duration.ofMillis(200)));
  }

  @AfterEach
  void stopCentral() throws Exception {
    central.close();
  }

  String tlsUrl() {
    return "tcp://127.0.0.1:"
        + port
        + "?"
        + LocalCertificates.clientParameters(tls.caCertificatePath());
  }

  EmbeddedBroker edge(String terminal, String secret, String inVmId) throws Exception {
    return EmbeddedBroker.start(
        EmbeddedBroker.Role.EDGE,
        Map.of(
            "dataDir", dir.resolve("edge-" + terminal).toString(),
            "terminalId", terminal,
            "inVmId", inVmId,
            "centralBrokerUrl", tlsUrl(),
            "centralUser", terminal,
            "centralPassword", secret));
  }

  @Test
  void outboundMessagesReachCentralOnceOnTheTerminalsOwnAddressAsTheValidatedTerminal()
      throws Exception {
    String secret = fleet.enroll("till-7");
    try (EmbeddedBroker edge = edge("till-7", secret, "11")) {
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  Arrays.stream(Lane.values())
                      .allMatch(l -> edge.bridge(EdgeBridge.name(l)).isConnected()));
      assertThat(Files.readString(dir.resolve("edge-till-7/broker.resolved.xml")))
          .doesNotContain(secret);
      assertThat(Files.readString(dir.resolve("central/broker.resolved.xml")))
          .doesNotContain(tls.keyStorePassword());

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

      try (Connection c = service().createConnection()) {
        c.start();
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer consumer =
            s.createConsumer(s.createQueue("outpost.ops.in.*::outpost.ops.inbound"));
        Message got = consumer.receive(20_000);
        assertThat(got).isNotNull();
        assertThat(((TextMessage) got).getText()).isEqualTo("{\"n\":1}");
        assertThat(((ActiveMQDestination) got.getJMSDestination()).getAddress())
            .isEqualTo("outpost.ops.in.till-7");
        assertThat(got.getStringProperty("_AMQ_VALIDATED_USER")).isEqualTo("till-7");
        assertThat(consumer.receive(1_000)).as("duplicate must not arrive").isNull();
      }
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> edge.server().locateQueue("outpost.outbound.critical").getMessageCount() == 0);
    }
  }

  @Test
  void aTerminalGivenSeveralBrokersForwardsThroughTheOneThatIsUp() throws Exception {
    // An HA pair given as a list, its first broker down (nothing listens on that port).
    String secret = fleet.enroll("till-l");
    int down = freePort();
    String list =
        "(tcp://127.0.0.1:"
            + down
            + ",tcp://127.0.0.1:"
            + port
            + ")?"
            + LocalCertificates.clientParameters(tls.caCertificatePath());
    try (EmbeddedBroker edge =
        EmbeddedBroker.start(
            EmbeddedBroker.Role.EDGE,
            Map.of(
                "dataDir",
                dir.resolve("edge-till-l").toString(),
                "terminalId",
                "till-l",
                "inVmId",
                "31",
                "centralBrokerUrl",
                list,
                "centralUser",
                "till-l",
                "centralPassword",
                secret))) {
      for (Lane l : Lane.values()) {
        assertThat(
                edge.server().getConfiguration().getBridgeConfigurations().stream()
                    .filter(b -> b.getName().equals(EdgeBridge.name(l)))
                    .findFirst()
                    .orElseThrow()
                    .getStaticConnectors())
            .as("%s names both brokers", l)
            .hasSize(2);
      }
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  Arrays.stream(Lane.values())
                      .allMatch(l -> edge.bridge(EdgeBridge.name(l)).isConnected()));
      try (Connection c = service().createConnection()) {
        c.start();
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer consumer =
            s.createConsumer(s.createQueue("outpost.ops.in.*::outpost.ops.inbound"));
        sendFromEdge("31", "{\"n\":2}");
        Message got = consumer.receive(20_000);
        assertThat(got).as("forwarded through the second broker of the list").isNotNull();
        assertThat(((TextMessage) got).getText()).isEqualTo("{\"n\":2}");
      }
    }
  }

  /**
   * Artemis authenticates an open session again when its login cache entry expires, and the core
   * bridge drops a message whose send was refused. So the directory (PostgreSQL at central) being
   * unreachable at that moment must not refuse a terminal it already confirmed: the message must
   * arrive. Before the fix the second message vanished from the terminal's queue and never reached
   * central (found by FaultMatrixIT: pg_terminate_backend while terminals forward).
   */
  @Test
  void aDirectoryOutageWhileATerminalForwardsLosesNothing() throws Exception {
    String secret = fleet.enroll("till-d");
    try (EmbeddedBroker edge = edge("till-d", secret, "12");
        Connection c = service().createConnection()) {
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  Arrays.stream(Lane.values())
                      .allMatch(l -> edge.bridge(EdgeBridge.name(l)).isConnected()));
      c.start();
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      MessageConsumer consumer =
          s.createConsumer(s.createQueue("outpost.ops.in.*::outpost.ops.inbound"));
      sendFromEdge("12", "{\"n\":1}");
      assertThat(consumer.receive(20_000)).as("first message, directory up").isNotNull();

      directoryDown = true;
      // The login cache entry expires (security-invalidation-interval): expire it now.
      var store =
          (org.apache.activemq.artemis.core.security.impl.SecurityStoreImpl)
              central.server().getSecurityStore();
      store.invalidateAuthenticationCache();
      store.invalidateAuthorizationCache();
      sendFromEdge("12", "{\"n\":2}");
      Message second = consumer.receive(20_000);
      directoryDown = false;
      assertThat(second).as("second message, sent while the directory was down").isNotNull();
      assertThat(((TextMessage) second).getText()).isEqualTo("{\"n\":2}");
    }
  }

  private static void sendFromEdge(String inVmId, String body) throws JMSException {
    var edgeCf = new ActiveMQConnectionFactory("vm://" + inVmId);
    try (Connection c = edgeCf.createConnection()) {
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      MessageProducer p = s.createProducer(s.createQueue("outpost.outbound.critical"));
      p.setDeliveryMode(DeliveryMode.PERSISTENT);
      TextMessage m = s.createTextMessage(body);
      m.setStringProperty("_AMQ_DUPL_ID", UUID.randomUUID().toString());
      m.setStringProperty("JMSXGroupID", "till-d");
      p.send(m);
    }
  }

  @Test
  void aTerminalMayTouchOnlyItsOwnAddresses() throws Exception {
    String a = fleet.enroll("till-a");
    fleet.enroll("till-b");
    for (String other : List.of("outpost.receipts.till-b", "outpost.masterdata.till-b")) {
      central
          .server()
          .createQueue(
              org.apache.activemq.artemis.api.core.QueueConfiguration.of(other)
                  .setRoutingType(RoutingType.ANYCAST));
    }
    try (ServerLocator locator = ActiveMQClient.createServerLocator(tlsUrl());
        ClientSessionFactory f = locator.createSessionFactory();
        ClientSession s = f.createSession("till-a", a, false, true, true, false, 0)) {
      // Its own: create and send to its inbound address, consume its receipts and master data.
      s.createAddress(SimpleString.of("outpost.ops.in.till-a"), RoutingType.ANYCAST, true);
      s.createProducer("outpost.ops.in.till-a").send(s.createMessage(true));
      for (String own : List.of("outpost.receipts.till-a", "outpost.masterdata.till-a")) {
        s.createQueue(
            new org.apache.activemq.artemis.api.core.QueueConfiguration(own)
                .setRoutingType(RoutingType.ANYCAST));
        s.createConsumer(own).close();
      }
      // Another terminal's, central's inbound queue and DLQ, management: refused.
      assertRefused(() -> s.createProducer("outpost.ops.in.till-b").send(s.createMessage(true)));
      assertRefused(() -> s.createProducer("outpost.ops.DLQ").send(s.createMessage(true)));
      assertRefused(() -> s.createProducer("activemq.management").send(s.createMessage(true)));
      assertRefused(() -> s.createConsumer("outpost.receipts.till-b"));
      assertRefused(() -> s.createConsumer("outpost.masterdata.till-b"));
      assertRefused(() -> s.createConsumer("outpost.ops.in.*::outpost.ops.inbound"));
      assertRefused(() -> s.createConsumer("outpost.ops.DLQ"));
      assertRefused(() -> s.createConsumer("outpost.ops.DLQ", true));
      assertRefused(() -> s.deleteQueue("outpost.receipts.till-a"));
    }
  }

  @Test
  void anonymousWrongPasswordDefaultClusterUserAndPlainConnectionsAreRefused() throws Exception {
    String a = fleet.enroll("till-a");
    assertLoginRefused(tlsUrl(), null, null);
    assertLoginRefused(tlsUrl(), "till-a", a + "x");
    assertLoginRefused(tlsUrl(), "till-unknown", a);
    assertLoginRefused(tlsUrl(), "ACTIVEMQ.CLUSTER.ADMIN.USER", "CHANGE ME!!");
    assertLoginRefused(tlsUrl(), "outpost-cluster", "CHANGE ME!!");
    // Plain TCP to the TLS acceptor: no session, whatever the credential.
    assertLoginRefused(
        "tcp://127.0.0.1:" + port + "?callTimeout=2000;connectionTTL=2000", "till-a", a);
  }

  @Test
  void aRevokedTerminalIsDisconnectedWithinSecondsAndRefusedAfter() throws Exception {
    String secret = fleet.enroll("till-r");
    try (EmbeddedBroker edge = edge("till-r", secret, "12")) {
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  Arrays.stream(Lane.values())
                      .allMatch(l -> edge.bridge(EdgeBridge.name(l)).isConnected()));
      fleet.revoke("till-r");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  Arrays.stream(Lane.values())
                      .noneMatch(l -> edge.bridge(EdgeBridge.name(l)).isConnected()));
      // Central closes the sessions of a bridge it cut a moment after the bridge sees it.
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () ->
                  assertThat(
                          central.server().getSessions().stream()
                              .map(x -> x.getValidatedUser())
                              .toList())
                      .doesNotContain("till-r"));
      assertLoginRefused(tlsUrl(), "till-r", secret);
    }
  }

  @Test
  void missingRequiredSettingStopsStartUpNamingIt() {
    assertThatThrownBy(
            () ->
                EmbeddedBroker.start(
                    EmbeddedBroker.Role.EDGE, Map.of("dataDir", dir.resolve("x").toString())))
        .hasMessageContaining("terminalId")
        .hasMessageContaining("centralBrokerUrl");
  }

  ActiveMQConnectionFactory service() {
    ActiveMQConnectionFactory cf = new ActiveMQConnectionFactory(tlsUrl());
    cf.setUser("central");
    cf.setPassword(SERVICE_PASSWORD);
    return cf;
  }

  interface Action {
    void run() throws Exception;
  }

  static void assertRefused(Action a) {
    assertThatThrownBy(a::run).hasMessageContaining("does not have permission");
  }

  static void assertLoginRefused(String url, String user, String password) {
    ActiveMQConnectionFactory cf = new ActiveMQConnectionFactory(url);
    cf.setReconnectAttempts(0);
    cf.setInitialConnectAttempts(1);
    cf.setCallTimeout(3000);
    assertThatThrownBy(
            () -> {
              try (Connection c = cf.createConnection(user, password)) {
                c.createSession(false, Session.AUTO_ACKNOWLEDGE);
              }
            })
        .isInstanceOf(JMSException.class);
  }

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
