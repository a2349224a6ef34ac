package dev.outpost.broker.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.outpost.broker.EdgeBridge;
import dev.outpost.broker.EmbeddedBroker;
import dev.outpost.contracts.Lane;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.activemq.artemis.api.core.ActiveMQConnectionTimedOutException;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.ActiveMQNotConnectedException;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.remoting.impl.netty.NettyConnection;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.impl.ActiveMQServerImpl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Artemis with a TLS-only terminal acceptor made from {@link LocalCertificates}: clients
 * that trust central's CA and name a host in the certificate get in; everyone else is refused.
 *
 * <p>Security (users) is off here because this is about the transport only; the broker is built
 * from a ConfigurationImpl so the test needs no broker.xml change.
 */
class TerminalAcceptorTlsTest {
  @TempDir static Path dir;

  static LocalCertificates certs;
  static ActiveMQServer server;
  static int port;
  // Bound to a second loopback address with the same certificate, which does not name it.
  static boolean secondLoopback;

  @BeforeAll
  static void startBroker() throws Exception {
    // Only the defaults, localhost and 127.0.0.1, so 127.0.0.2 is a name the certificate lacks.
    certs = LocalCertificates.ensure(dir.resolve("tls"), List.of());
    port = freePort();
    secondLoopback = canBind("127.0.0.2", port);

    ConfigurationImpl config = new ConfigurationImpl();
    config.setName("tls-test");
    // This test is about the TLS handshake only: no journal and no logins here. Security and
    // durability are proved on the real central broker.xml (EdgeToCentralBridgeTest, SecurityIT),
    // which always runs with both on.
    config.setPersistenceEnabled(false);
    config.setSecurityEnabled(false);
    config.setJMXManagementEnabled(false);
    config.setBrokerInstance(dir.resolve("broker").toFile());
    String tls = "?protocols=CORE;" + certs.acceptorParameters();
    config.addAcceptorConfiguration("terminals", "tcp://127.0.0.1:" + port + tls);
    if (secondLoopback) {
      config.addAcceptorConfiguration("terminals-2", "tcp://127.0.0.2:" + port + tls);
    }
    config.addQueueConfiguration(
        QueueConfiguration.of("q").setRoutingType(RoutingType.ANYCAST).setDurable(false));
    // As in central's broker.xml: every terminal's own address feeds one wildcard-bound queue.
    config.addQueueConfiguration(
        QueueConfiguration.of("outpost.ops.inbound")
            .setAddress("outpost.ops.in.*")
            .setRoutingType(RoutingType.ANYCAST));
    server = new ActiveMQServerImpl(config);
    server.start();
    assertThat(server.waitForActivation(20, TimeUnit.SECONDS)).isTrue();
  }

  @AfterAll
  static void stopBroker() throws Exception {
    if (server != null) {
      server.stop();
    }
  }

  @Test
  void clientTrustingTheCaReachesTheBrokerByNameAndByIpOverTls13() throws Exception {
    String trust = LocalCertificates.clientParameters(certs.caCertificatePath());
    roundTrip("tcp://localhost:" + port + "?" + trust);
    roundTrip("tcp://127.0.0.1:" + port + "?" + trust);
  }

  @Test
  void plainTcpClientIsRefused() {
    assertRefused("tcp://127.0.0.1:" + port, ActiveMQConnectionTimedOutException.class);
  }

  @Test
  void clientTrustingAnotherCaIsRefused() throws Exception {
    LocalCertificates other = LocalCertificates.ensure(dir.resolve("other"), List.of());
    assertRefused(
        "tcp://localhost:"
            + port
            + "?"
            + LocalCertificates.clientParameters(other.caCertificatePath()),
        ActiveMQNotConnectedException.class);
  }

  @Test
  void clientOfferingOnlyTls12IsRefused() {
    assertRefused(
        "tcp://localhost:"
            + port
            + "?"
            + LocalCertificates.clientParameters(certs.caCertificatePath())
                .replace("TLSv1.3", "TLSv1.2"),
        ActiveMQNotConnectedException.class);
  }

  @Test
  void hostNameNotInTheCertificateIsRefusedWhenVerified() throws Exception {
    assumeTrue(secondLoopback, "127.0.0.2 is not a loopback address here");
    String trust = LocalCertificates.clientParameters(certs.caCertificatePath());
    assertRefused("tcp://127.0.0.2:" + port + "?" + trust, ActiveMQNotConnectedException.class);
    // The same client without the host check gets in: the refusal above is the name, nothing else.
    roundTrip(
        "tcp://127.0.0.2:" + port + "?" + trust.replace("verifyHost=true", "verifyHost=false"));
  }

  @Test
  void edgeBridgeReachesCentralOverTlsWithTheEnrolledCaAlone() throws Exception {
    String centralUrl =
        "tcp://localhost:"
            + port
            + "?"
            + LocalCertificates.clientParameters(certs.caCertificatePath());
    try (EmbeddedBroker edge =
        EmbeddedBroker.start(
            EmbeddedBroker.Role.EDGE,
            Map.of(
                "dataDir",
                dir.resolve("edge").toString(),
                "terminalId",
                "till-tls",
                "inVmId",
                "41",
                "centralBrokerUrl",
                centralUrl))) {
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  Arrays.stream(Lane.values())
                      .allMatch(l -> edge.bridge(EdgeBridge.name(l)).isConnected()));
      try (ServerLocator locator = ActiveMQClient.createServerLocator("vm://41");
          ClientSessionFactory sf = locator.createSessionFactory();
          ClientSession session = sf.createSession()) {
        ClientMessage m = session.createMessage(true);
        m.getBodyBuffer().writeString("sale");
        session.createProducer("outpost.outbound.critical").send(m);
      }
      try (ServerLocator locator = locator(centralUrl);
          ClientSessionFactory sf = locator.createSessionFactory();
          ClientSession session = sf.createSession()) {
        session.start();
        ClientMessage got = session.createConsumer("outpost.ops.inbound").receive(10_000);
        assertThat(got).isNotNull();
        assertThat(got.getAddress()).isEqualTo("outpost.ops.in.till-tls");
        assertThat(got.getBodyBuffer().readString()).isEqualTo("sale");
        got.acknowledge();
      }
    }
  }

  /**
   * Sends one message and receives it back, over a connection that must be TLS 1.3 at both ends.
   */
  static void roundTrip(String url) throws Exception {
    try (ServerLocator locator = locator(url);
        ClientSessionFactory sf = locator.createSessionFactory();
        ClientSession session = sf.createSession()) {
      String body = UUID.randomUUID().toString();
      ClientMessage m = session.createMessage(false);
      m.getBodyBuffer().writeString(body);
      session.createProducer("q").send(m);
      session.start();
      ClientMessage got = session.createConsumer("q").receive(5_000);
      assertThat(got).isNotNull();
      assertThat(got.getBodyBuffer().readString()).isEqualTo(body);
      got.acknowledge();
      // Both ends of this very connection: the client's, and the server's one from its port.
      var client = ((NettyConnection) sf.getConnection().getTransportConnection()).getChannel();
      assertThat(protocol(client)).isEqualTo("TLSv1.3");
      assertThat(
              server.getRemotingService().getConnections().stream()
                  .map(c -> ((NettyConnection) c.getTransportConnection()).getChannel())
                  .filter(ch -> client.localAddress().equals(ch.remoteAddress()))
                  .map(TerminalAcceptorTlsTest::protocol))
          .containsExactly("TLSv1.3");
    }
  }

  /**
   * A failed TLS handshake surfaces as NOT_CONNECTED at once; a plain client is never answered in a
   * protocol it speaks, so it ends at the (short) call timeout.
   */
  static void assertRefused(String url, Class<? extends ActiveMQException> expected) {
    long start = System.nanoTime();
    assertThatThrownBy(
            () -> {
              try (ServerLocator locator = locator(url).setCallTimeout(1_000);
                  ClientSessionFactory sf = locator.createSessionFactory();
                  ClientSession session = sf.createSession()) {
                session.createProducer("q").send(session.createMessage(false));
              }
            })
        .isInstanceOf(expected);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  /** One attempt, no retries, short timeouts: a refused client fails fast. */
  static ServerLocator locator(String url) throws Exception {
    return ActiveMQClient.createServerLocator(url)
        .setCallTimeout(5_000)
        .setCallFailoverTimeout(5_000)
        .setConnectionTTL(5_000)
        .setInitialConnectAttempts(1)
        .setReconnectAttempts(0);
  }

  static String protocol(Channel channel) {
    return channel.pipeline().get(SslHandler.class).engine().getSession().getProtocol();
  }

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }

  static boolean canBind(String host, int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(InetAddress.getByName(host), port));
      return true;
    } catch (Exception e) {
      return false;
    }
  }
}
