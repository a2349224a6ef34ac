package dev.outpost.central;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.broker.security.TerminalSecrets;
import dev.outpost.contracts.Destinations;
import dev.outpost.contracts.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientProducer;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A central-route test context of its own: data dir, broker and PostgreSQL ports, and an in-VM
 * broker id unique in the JVM (Spring keeps earlier test contexts, and their brokers, alive).
 */
public record CentralTestEnv(
    Path dataDir, int brokerPort, int dbPort, String inVmId, Map<String, String> secrets) {
  private static final AtomicInteger NEXT_IN_VM_ID = new AtomicInteger(40);

  public static CentralTestEnv create(String name) {
    try {
      return new CentralTestEnv(
          Files.createTempDirectory(name),
          freePort(),
          freePort(),
          String.valueOf(NEXT_IN_VM_ID.getAndIncrement()),
          new ConcurrentHashMap<>());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The settings that point the app at this environment. */
  public void register(DynamicPropertyRegistry r) {
    r.add("outpost.data-dir", dataDir::toString);
    r.add("outpost.broker.port", this::brokerPort);
    r.add("outpost.broker.in-vm-id", this::inVmId);
    r.add("outpost.db.embedded-port", this::dbPort);
  }

  /**
   * People's logins for this test, each "name:password:role"; they replace application.yml's list
   * (Spring binds a list from one source).
   */
  public static void logins(DynamicPropertyRegistry r, String... logins) {
    for (int i = 0; i < logins.length; i++) {
      String[] l = logins[i].split(":", 3);
      String prefix = "outpost.security.users[" + i + "].";
      r.add(prefix + "name", () -> l[0]);
      r.add(prefix + "password", () -> l[1]);
      r.add(prefix + "role", () -> l[2]);
    }
  }

  /**
   * Sends the way a terminal's core bridge does: to the terminal's own address (created on first
   * contact, as the terminal's registrar does), anycast, grouped by that address.
   */
  public void sendAsBridge(String address, String body) throws Exception {
    String terminal = address.substring(Destinations.OPS_IN_PREFIX.length());
    String secret = enrolled(terminal);
    try (ServerLocator locator = ActiveMQClient.createServerLocator("vm://" + inVmId);
        ClientSessionFactory factory = locator.createSessionFactory();
        ClientSession session =
            factory.createSession(terminal, secret, false, true, true, false, 0)) {
      if (!session.addressQuery(SimpleString.of(address)).isExists()) {
        session.createAddress(SimpleString.of(address), RoutingType.ANYCAST, true);
      }
      ClientMessage m = session.createMessage(Message.TEXT_TYPE, true);
      m.getBodyBuffer().writeNullableSimpleString(SimpleString.of(body));
      m.setRoutingType(RoutingType.ANYCAST);
      m.putStringProperty(Message.HDR_GROUP_ID, SimpleString.of(address));
      session.createProducer(address).send(m);
    }
  }

  /** What a test puts in one bridge session: messages made with {@code session.createMessage}. */
  @FunctionalInterface
  public interface BridgeSends {
    void send(ClientSession session, ClientProducer producer) throws Exception;
  }

  /**
   * As {@link #sendAsBridge(String, String)}, for messages the test shapes itself (another body
   * type, extra headers, several at once): {@code sends} runs in one transacted session logged in
   * as the terminal, which is then committed, so everything it sent arrives on the queue together.
   * Each message should carry the bridge's group ({@link #asBridgeSends}).
   */
  public void sendAsBridge(String terminal, BridgeSends sends) throws Exception {
    String address = Destinations.opsIn(terminal);
    String secret = enrolled(terminal);
    try (ServerLocator locator = ActiveMQClient.createServerLocator("vm://" + inVmId);
        ClientSessionFactory factory = locator.createSessionFactory();
        ClientSession session =
            factory.createSession(terminal, secret, false, false, true, false, 0)) {
      if (!session.addressQuery(SimpleString.of(address)).isExists()) {
        session.createAddress(SimpleString.of(address), RoutingType.ANYCAST, true);
      }
      sends.send(session, session.createProducer(address));
      session.commit();
    }
  }

  /** A valid envelope of {@code fixture} from {@code terminal}, with a fresh operation id. */
  public static ObjectNode envelope(String fixture, String terminal, long sequence) {
    ObjectNode doc = Fixtures.valid(fixture);
    doc.put("operationId", UUID.randomUUID().toString());
    doc.put("terminalId", terminal);
    doc.put("sequence", sequence);
    doc.put("schemaVersion", 1);
    return doc;
  }

  /** Anycast, durable and grouped by the terminal's address, as its bridge sends. */
  public static ClientMessage asBridgeSends(ClientSession session, String terminal, byte type) {
    ClientMessage m = session.createMessage(type, true);
    m.setRoutingType(RoutingType.ANYCAST);
    m.putStringProperty(Message.HDR_GROUP_ID, SimpleString.of(Destinations.opsIn(terminal)));
    return m;
  }

  /**
   * The terminal's broker secret, enrolling it first if needed: written to central's PostgreSQL as
   * enrollment does (the broker logs terminals in against that table), so the message carries the
   * terminal as its validated user, exactly as a real bridge's does.
   */
  public synchronized String enrolled(String terminal) throws Exception {
    String secret = secrets.get(terminal);
    if (secret != null) {
      return secret;
    }
    secret = TerminalSecrets.generate();
    try (Connection c =
            DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + dbPort + "/outpost", "outpost", "outpost");
        PreparedStatement ps =
            c.prepareStatement(
                "insert into terminals (terminal_id, enrolled_at, enrolled_by, credential_hash) values (?, now(), 'test', ?)"
                    + " on conflict (terminal_id) do update set credential_hash = excluded.credential_hash, revoked_at = null")) {
      ps.setString(1, terminal);
      ps.setString(2, TerminalSecrets.hash(secret));
      ps.executeUpdate();
    }
    secrets.put(terminal, secret);
    return secret;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
