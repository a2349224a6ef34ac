package dev.outpost.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outpost.contracts.Destinations;
import dev.outpost.system.harness.Central;
import dev.outpost.system.harness.CentralAdmin;
import dev.outpost.system.harness.Edge;
import dev.outpost.system.harness.Ops;
import dev.outpost.system.harness.TestPaths;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Session;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Fleet identity end to end, on real processes: a terminal enrolled through central's admin API
 * delivers over TLS as itself; another terminal's credential opens nothing of it; a revoked
 * terminal is cut off within seconds and keeps its operations until it is enrolled again; and
 * central refuses to start in production with sandbox settings.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecurityIT {
  private static final String TERMINAL = "sec-till-1";
  private static final String OTHER = "sec-till-2";
  private static Central central;
  private static Edge edge;

  @BeforeAll
  static void start() {
    central = Central.withEmbeddedDb("SecurityIT-central").start();
    edge = Edge.create("SecurityIT-edge", TERMINAL, central).start();
  }

  @AfterAll
  static void stop() {
    if (edge != null) {
      edge.close();
    }
    if (central != null) {
      central.close();
    }
  }

  @Test
  @Order(1)
  void anEnrolledTerminalDeliversAsItselfAndRegistersItsKey() throws Exception {
    UUID id = Ops.newId();
    assertThat(edge.client().postOperation(Ops.json(Ops.sale(id, 1))).status()).isEqualTo(202);
    awaitStatus(id, "ACCEPTED");
    // The day-file key went to central over the terminal's own login: no trust on first use.
    await()
        .atMost(Duration.ofMinutes(1))
        .until(() -> central.admin().get("/api/v1/terminals/" + TERMINAL + "/key").status() == 200);
    JsonNode fleet = central.admin().get("/api/v1/terminals").json();
    JsonNode me = find(fleet, TERMINAL);
    assertThat(me.path("status").asText()).isEqualTo("ENROLLED");
    assertThat(me.path("online").asBoolean()).isTrue();
    assertThat(me.path("last_sequence").asLong()).isEqualTo(1);
    // The enrollment file copy on the terminal is owner-only, and no resolved broker file holds a
    // secret.
    Path copy = edge.process().dataDir().resolve("enrollment.json");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(copy)))
        .isEqualTo("rw-------");
    String secret = central.secret(TERMINAL);
    assertThat(Files.readString(edge.process().dataDir().resolve("broker/broker.resolved.xml")))
        .doesNotContain(secret);
    assertThat(Files.readString(central.process().dataDir().resolve("broker/broker.resolved.xml")))
        .doesNotContain(Central.SERVICE_PASSWORD);
  }

  @Test
  @Order(2)
  void anotherTerminalsCredentialOpensNothingOfIt() {
    String other = central.secret(OTHER);
    String url = central.tlsUrl();
    // Sending to the first terminal's address, reading its receipts or master data, central's
    // inbound queue or the DLQ, or management: all refused.
    assertRefused(
        url,
        OTHER,
        other,
        s ->
            s.createProducer(s.createQueue(Destinations.opsIn(TERMINAL)))
                .send(s.createTextMessage("{}")));
    assertRefused(
        url, OTHER, other, s -> s.createConsumer(s.createQueue(Destinations.receipts(TERMINAL))));
    assertRefused(
        url, OTHER, other, s -> s.createConsumer(s.createQueue(Destinations.masterData(TERMINAL))));
    assertRefused(
        url,
        OTHER,
        other,
        s -> s.createConsumer(s.createQueue("outpost.ops.in.*::outpost.ops.inbound")));
    assertRefused(url, OTHER, other, s -> s.createConsumer(s.createQueue(Destinations.OPS_DLQ)));
    assertRefused(
        url,
        OTHER,
        other,
        s ->
            s.createProducer(s.createQueue("activemq.management")).send(s.createTextMessage("{}")));
    // No anonymous login; a plain connection to the TLS acceptor gets nowhere.
    assertRefused(url, null, null, s -> {});
    assertRefused(central.brokerUrl() + "?callTimeout=3000", OTHER, other, s -> {});
    // Over HTTP the terminal's login reads its own master data only, and no admin API.
    CentralAdmin asOther =
        new CentralAdmin(central.process().baseUrl(), CentralAdmin.basic(OTHER, other));
    assertThat(asOther.get("/api/v1/masterdata-sync/snapshots/products?terminal=" + OTHER).status())
        .isEqualTo(200);
    assertThat(
            asOther.get("/api/v1/masterdata-sync/snapshots/products?terminal=" + TERMINAL).status())
        .isEqualTo(403);
    assertThat(asOther.get("/api/v1/dead-letters").status()).isEqualTo(403);
    assertThat(
            asOther.put("/api/v1/terminals/" + TERMINAL + "/key", "{\"publicKey\":\"x\"}").status())
        .isEqualTo(403);
  }

  @Test
  @Order(3)
  void aRevokedTerminalIsCutOffAndDeliversAfterReEnrollment() throws Exception {
    String oldSecret = central.secret(TERMINAL);
    assertThat(central.admin().post("/api/v1/terminals/" + TERMINAL + "/revoke", "{}").status())
        .isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> !edge.client().syncStatus().path("online").asBoolean());
    UUID held = Ops.newId();
    assertThat(edge.client().postOperation(Ops.json(Ops.sale(held, 1))).status()).isEqualTo(202);
    assertThat(
            find(central.admin().get("/api/v1/terminals").json(), TERMINAL).path("status").asText())
        .isEqualTo("REVOKED");
    CentralAdmin asRevoked =
        new CentralAdmin(central.process().baseUrl(), CentralAdmin.basic(TERMINAL, oldSecret));
    assertThat(asRevoked.get("/api/v1/masterdata-sync/checksums?terminal=" + TERMINAL).status())
        .isEqualTo(401);
    assertRefused(central.tlsUrl(), TERMINAL, oldSecret, s -> {});
    // Held on the terminal, not lost: pending for as long as it takes.
    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                "QUEUED"
                    .equals(
                        edge.client()
                            .getOperation(held.toString())
                            .json()
                            .path("status")
                            .asText()));
    assertThat(central.db().operations(TERMINAL)).isEqualTo(1);

    // Enrolled again: the new file, the same terminal (its ledger and queue), and the backlog goes.
    CentralAdmin.Response again =
        central.admin().post("/api/v1/terminals", "{\"terminalId\":\"" + TERMINAL + "\"}");
    assertThat(again.status()).isEqualTo(201);
    Path file = TestPaths.logs().getParent().resolve("enrollments/SecurityIT-reenrolled.json");
    Files.createDirectories(file.getParent());
    Files.writeString(file, again.body());
    edge.process().stop();
    edge.process().env().put("OUTPOST_ENROLLMENT_FILE", file.toString());
    edge.process().start();
    awaitStatus(held, "ACCEPTED");
    assertThat(central.db().operations(TERMINAL)).isEqualTo(2);
  }

  @Test
  @Order(4)
  void centralRefusesToStartInProductionWithSandboxSettings() throws Exception {
    Path data = TestPaths.freshDataDir("SecurityIT-prod");
    List<String> cmd =
        new ArrayList<>(List.of(javaBin(), "-jar", TestPaths.jar(Central.JAR_PROPERTY).toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.put("OUTPOST_PROFILE", "prod");
    env.put("OUTPOST_DATA_DIR", data.toString());
    env.put("OUTPOST_HTTP_PORT", "0");
    env.put("OUTPOST_DB_URL", "jdbc:postgresql://127.0.0.1:1/none");
    env.put("OUTPOST_FAULT_HALT_AFTER_COMMITS", "5"); // a test-only switch left on
    Path log = TestPaths.logs().resolve("SecurityIT-prod.log");
    pb.redirectOutput(log.toFile());
    Process p = pb.start();
    assertThat(p.waitFor(150, TimeUnit.SECONDS)).as("central exits by itself").isTrue();
    assertThat(p.exitValue()).isNotZero();
    String out = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(out)
        .contains("refuses to start outside the local sandbox")
        .contains("OUTPOST_OPS_PASSWORD")
        .contains("OUTPOST_BROKER_PASSWORD")
        .contains("OUTPOST_DEMO_DATA=false")
        .contains("OUTPOST_SANDBOX_TERMINALS")
        .contains("unset OUTPOST_FAULT_HALT_AFTER_COMMITS");
  }

  interface SessionAction {
    void run(Session s) throws Exception;
  }

  private static void assertRefused(
      String url, String user, String password, SessionAction action) {
    ActiveMQConnectionFactory cf = new ActiveMQConnectionFactory(url);
    cf.setReconnectAttempts(0);
    cf.setCallTimeout(5_000);
    assertThatThrownBy(
            () -> {
              try (cf;
                  Connection c = cf.createConnection(user, password)) {
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                action.run(s);
              }
            })
        .isInstanceOf(JMSException.class);
  }

  private static void awaitStatus(UUID id, String status) {
    await()
        .atMost(Duration.ofMinutes(2))
        .until(
            () ->
                status.equals(
                    edge.client().getOperation(id.toString()).json().path("status").asText()));
  }

  private static JsonNode find(JsonNode fleet, String terminal) {
    for (JsonNode t : fleet) {
      if (terminal.equals(t.path("terminal_id").asText())) {
        return t;
      }
    }
    throw new AssertionError(terminal + " not in " + fleet);
  }

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
