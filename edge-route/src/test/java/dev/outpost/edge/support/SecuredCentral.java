package dev.outpost.edge.support;

import dev.outpost.broker.EmbeddedBroker;
import dev.outpost.broker.security.FixedTerminalDirectory;
import dev.outpost.broker.security.OutpostSecurityManager;
import dev.outpost.broker.security.TerminalSecrets;
import dev.outpost.broker.tls.LocalCertificates;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A real central broker for edge tests, secured as in production: TLS 1.3 acceptor from a local CA,
 * service user for the test's own clients, the terminal enrolled with a secret. Registered as a
 * JUnit extension ({@code @RegisterExtension static}) it runs for the test class: started before
 * the class (and the Spring context), closed after it.
 */
public final class SecuredCentral implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
  public static final String SERVICE_USER = "central";
  private final String servicePassword = TerminalSecrets.generate();
  private final FixedTerminalDirectory fleet = new FixedTerminalDirectory();
  private final Path dir;
  private final int port;
  private final String inVmId;
  private LocalCertificates tls;
  private EmbeddedBroker broker;

  public SecuredCentral(Path dir, int port, String inVmId) {
    this.dir = dir;
    this.port = port;
    this.inVmId = inVmId;
  }

  /** Makes the CA (before the edge starts, so the edge can be given it) and enrolls a terminal. */
  public synchronized String enroll(String terminalId) throws Exception {
    certificates();
    return fleet.enroll(terminalId);
  }

  public synchronized SecuredCentral start() throws Exception {
    Map<String, String> settings = new HashMap<>();
    settings.put("dataDir", dir.resolve("broker").toString());
    settings.put("brokerPort", Integer.toString(port));
    settings.put("brokerHost", "127.0.0.1");
    settings.put("inVmId", inVmId);
    settings.put("keyStorePath", certificates().keyStorePath().toString());
    settings.put("keyStorePassword", certificates().keyStorePassword());
    settings.put("clusterPassword", TerminalSecrets.generate());
    broker =
        EmbeddedBroker.start(
            EmbeddedBroker.Role.CENTRAL,
            settings,
            new OutpostSecurityManager(
                Map.of(SERVICE_USER, servicePassword), fleet, Duration.ofMillis(500)));
    return this;
  }

  /** The edge's settings for this central: plain URL, credential and CA (the edge adds TLS). */
  public void register(DynamicPropertyRegistry r, String terminalId, String secret)
      throws Exception {
    String ca = certificates().caCertificatePath().toString();
    r.add("outpost.central.broker-url", () -> "tcp://127.0.0.1:" + port);
    r.add("outpost.central.user", () -> terminalId);
    r.add("outpost.central.password", () -> secret);
    r.add("outpost.central.ca-file", () -> ca);
  }

  /**
   * The settings of the edge under test: its id, data dir and in-VM broker id, this central
   * (credential and CA) and fast reconnects.
   */
  public void registerEdge(
      DynamicPropertyRegistry r, String terminalId, String secret, Path dataDir, String inVmId)
      throws Exception {
    r.add("outpost.terminal-id", () -> terminalId);
    r.add("outpost.data-dir", dataDir::toString);
    r.add("outpost.broker.in-vm-id", () -> inVmId);
    register(r, terminalId, secret);
    r.add("outpost.central.recovery-interval-ms", () -> "500");
    r.add("spring.jmx.unique-names", () -> "true");
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    close();
  }

  /** A client of central as central-route is (service user, in-VM). */
  public ActiveMQConnectionFactory serviceConnectionFactory() {
    ActiveMQConnectionFactory cf = new ActiveMQConnectionFactory("vm://" + inVmId);
    cf.setUser(SERVICE_USER);
    cf.setPassword(servicePassword);
    return cf;
  }

  private LocalCertificates certificates() throws Exception {
    if (tls == null) {
      tls = LocalCertificates.ensure(dir.resolve("tls"), List.of());
    }
    return tls;
  }

  public EmbeddedBroker broker() {
    return broker;
  }

  @Override
  public synchronized void close() throws Exception {
    if (broker != null) {
      broker.close();
      broker = null;
    }
  }
}
