package dev.outpost.edge.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.edge.support.EdgeTestSupport;
import dev.outpost.edge.support.SecuredCentral;
import dev.outpost.support.PrometheusScrape;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The terminal's Prometheus series the README lists, scraped from {@code /actuator/prometheus}
 * (viewer login) while operations travel to a real central broker played by the test: held by a
 * pause (pending, outbound messages and bytes, forwarding paused), forwarded (forwarded total),
 * answered ACCEPTED, FLAGGED and REJECTED (the ledger gauges), and central going away (bridge
 * connected 0, pending again).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
// Spring Boot's tests turn metric export off unless asked; the app has it on.
@AutoConfigureObservability
class EdgeMetricsTest extends EdgeTestSupport {
  static final String TERMINAL = "till-metrics";
  static final Path DATA = tempDataDir("edge-metrics");
  static final int CENTRAL_PORT = freePort();
  static final String INBOUND = "outpost.ops.in.*::outpost.ops.inbound";
  static final String RECEIPTS = "outpost.receipts." + TERMINAL;
  static final Map<String, String> TAG = Map.of("terminal", TERMINAL);

  @RegisterExtension
  static final SecuredCentral central =
      new SecuredCentral(DATA.resolve("central"), CENTRAL_PORT, "41");

  static final String SECRET = EdgeTestSupport.unchecked(() -> central.enroll(TERMINAL));

  @DynamicPropertySource
  static void props(DynamicPropertyRegistry r) {
    unchecked(
        () -> {
          central.registerEdge(r, TERMINAL, SECRET, DATA.resolve("edge"), "40");
          return null;
        });
  }

  @Test
  void theReadmeSeriesFollowWhatTheTerminalDid() throws Exception {
    assertThat(scrape(null).statusCode()).isEqualTo(401);
    awaitScrape(s -> s.value("outpost_edge_bridge_connected", TAG) == 1);
    PrometheusScrape idle = scrape();
    for (String name :
        new String[] {
          "outpost_edge_pending",
          "outpost_edge_accepted",
          "outpost_edge_flagged",
          "outpost_edge_rejected",
          "outpost_edge_forwarded_total",
          "outpost_edge_outbound_messages",
          "outpost_edge_outbound_bytes",
          "outpost_edge_bridge_connected",
          "outpost_edge_forwarding_paused"
        }) {
      assertThat(idle.has(name, Map.of("terminal", TERMINAL, "application", "edge-route")))
          .as(name + " with its tags")
          .isTrue();
      if (!name.equals("outpost_edge_bridge_connected")) {
        assertThat(idle.value(name, TAG)).as(name + " before anything happened").isZero();
      }
    }

    // Paused: three sales wait in the outbound lanes.
    assertThat(postNoBody("/api/v1/sync/pause").statusCode()).isEqualTo(200);
    ObjectNode[] sales = {
      freshValid("sale.recorded.json"),
      freshValid("sale.recorded.json"),
      freshValid("sale.recorded.json")
    };
    long[] sequences = new long[sales.length];
    for (int i = 0; i < sales.length; i++) {
      HttpResponse<String> r = post(sales[i].toString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
      sequences[i] = json(r.body()).get("sequence").asLong();
    }
    PrometheusScrape held =
        awaitScrape(
            s ->
                s.value("outpost_edge_pending", TAG) == 3
                    && s.value("outpost_edge_outbound_messages", TAG) == 3);
    assertThat(held.value("outpost_edge_forwarding_paused", TAG)).isEqualTo(1);
    assertThat(held.value("outpost_edge_outbound_bytes", TAG)).isPositive();
    assertThat(held.value("outpost_edge_forwarded_total", TAG)).isZero();

    // Resumed: forwarded; central answers one of each.
    assertThat(postNoBody("/api/v1/sync/resume").statusCode()).isEqualTo(200);
    ActiveMQConnectionFactory cf = central.serviceConnectionFactory();
    try (cf;
        Connection c = cf.createConnection()) {
      c.start();
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      MessageConsumer consumer = s.createConsumer(s.createQueue(INBOUND));
      for (int i = 0; i < sales.length; i++) {
        assertThat(consumer.receive(30_000)).as("forwarded to central").isNotNull();
      }
      PrometheusScrape forwarded =
          awaitScrape(
              m ->
                  m.value("outpost_edge_forwarded_total", TAG) == 3
                      && m.value("outpost_edge_outbound_messages", TAG) == 0);
      assertThat(forwarded.value("outpost_edge_forwarding_paused", TAG)).isZero();
      assertThat(forwarded.value("outpost_edge_outbound_bytes", TAG)).isZero();
      assertThat(forwarded.value("outpost_edge_pending", TAG)).as("no receipt yet").isEqualTo(3);

      MessageProducer producer = s.createProducer(s.createQueue(RECEIPTS));
      producer.setDeliveryMode(DeliveryMode.PERSISTENT);
      String[] outcomes = {"ACCEPTED", "FLAGGED", "REJECTED"};
      for (int i = 0; i < sales.length; i++) {
        producer.send(
            s.createTextMessage(
                receipt(sales[i].get("operationId").asText(), sequences[i], outcomes[i])));
      }
    }
    PrometheusScrape answered = awaitScrape(m -> m.value("outpost_edge_pending", TAG) == 0);
    assertThat(answered.value("outpost_edge_accepted", TAG)).isEqualTo(1);
    assertThat(answered.value("outpost_edge_flagged", TAG)).isEqualTo(1);
    assertThat(answered.value("outpost_edge_rejected", TAG)).isEqualTo(1);

    // Central away: the bridge is down and a new sale stays pending, durable on the terminal.
    central.close();
    awaitScrape(m -> m.value("outpost_edge_bridge_connected", TAG) == 0);
    assertThat(post(freshValid("sale.recorded.json").toString()).statusCode()).isEqualTo(202);
    PrometheusScrape offline =
        awaitScrape(
            m ->
                m.value("outpost_edge_pending", TAG) == 1
                    && m.value("outpost_edge_outbound_messages", TAG) == 1);
    assertThat(offline.value("outpost_edge_forwarded_total", TAG)).isEqualTo(3);
    assertThat(offline.value("outpost_edge_accepted", TAG)).isEqualTo(1);
  }

  // --- helpers ---

  private PrometheusScrape awaitScrape(Predicate<PrometheusScrape> wanted) {
    PrometheusScrape[] last = new PrometheusScrape[1];
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              last[0] = scrape();
              return wanted.test(last[0]);
            });
    return last[0];
  }

  private PrometheusScrape scrape() throws Exception {
    HttpResponse<String> res = scrape("viewer:viewer");
    assertThat(res.statusCode()).isEqualTo(200);
    return PrometheusScrape.parse(res.body());
  }

  private HttpResponse<String> scrape(String login) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri("/actuator/prometheus")).GET();
    if (login != null) {
      b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(login.getBytes()));
    }
    return send(b.build());
  }

  private HttpResponse<String> postNoBody(String path) throws Exception {
    return send(
        HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody()).build());
  }

  private static String receipt(String id, long sequence, String outcome) {
    return "{\"operationId\":\""
        + id
        + "\",\"terminalId\":\""
        + TERMINAL
        + "\",\"sequence\":"
        + sequence
        + ",\"outcome\":\""
        + outcome
        + "\""
        + (outcome.equals("REJECTED")
            ? ",\"reason\":\"UNKNOWN_REFERENCE\",\"detail\":\"no such product\""
            : outcome.equals("FLAGGED") ? ",\"detail\":\"VISIT_CLOSED: kept for review\"" : "")
        + ",\"processedAt\":\"2026-11-23T21:15:02Z\"}";
  }
}
