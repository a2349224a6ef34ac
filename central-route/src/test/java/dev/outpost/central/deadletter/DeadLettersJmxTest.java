package dev.outpost.central.deadletter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outpost.central.CentralTestEnv;
import dev.outpost.contracts.Contracts;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.UUID;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The dead-letter operations as Hawtio calls them: JMX operations of dev.outpost:type=DeadLetters
 * on the platform MBean server, against real Artemis and PostgreSQL. Replaying all of a reason
 * after the missing master data is fixed applies them once; a discard needs a reason; both are
 * audited.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DeadLettersJmxTest {
  static final CentralTestEnv ENV = CentralTestEnv.create("central-dlq-jmx");

  @DynamicPropertySource
  static void props(DynamicPropertyRegistry r) {
    ENV.register(r);
  }

  @Autowired JdbcTemplate jdbc;

  @Test
  void hawtioOperationsListReplayAllOfAReasonAndDiscardWithAudit() throws Exception {
    MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
    ObjectName name = new ObjectName("dev.outpost:type=DeadLetters");
    long before = (Long) mbeans.getAttribute(name, "Depth");

    String unknownBracelet = sale(UUID.randomUUID(), "B-JMX-1", 1);
    String secondUnknown = sale(UUID.randomUUID(), "B-JMX-1", 2);
    ENV.sendAsBridge("outpost.ops.in.jmx-till", unknownBracelet);
    ENV.sendAsBridge("outpost.ops.in.jmx-till", secondUnknown);
    ENV.sendAsBridge("outpost.ops.in.jmx-till", "{\"not\":\"an operation\"}");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> (Long) mbeans.getAttribute(name, "Depth") == before + 3);

    JsonNode listed =
        json(
            (String)
                mbeans.invoke(
                    name,
                    "list",
                    new Object[] {"UNKNOWN_REFERENCE", "jmx-till", 0, 50},
                    new String[] {
                      String.class.getName(),
                      String.class.getName(),
                      int.class.getName(),
                      int.class.getName()
                    }));
    assertThat(listed.toString()).contains("UNKNOWN_REFERENCE").contains("B-JMX-1");

    // The visit arrives at central; replaying all UNKNOWN_REFERENCE dead letters applies them once.
    jdbc.update(
        "insert into visits (id, bracelet_id, opened_at) values ('V-JMX-1', 'B-JMX-1', now())");
    mbeans.invoke(
        name,
        "replayReason",
        new Object[] {"UNKNOWN_REFERENCE"},
        new String[] {String.class.getName()});
    assertThat(
            jdbc.queryForObject(
                "select count(*) from sales where bracelet_id = 'B-JMX-1'", Long.class))
        .isEqualTo(2L);
    assertThat(
            jdbc.queryForObject(
                "select consumed from visits where id = 'V-JMX-1'", java.math.BigDecimal.class))
        .isEqualByComparingTo("7.00");

    // The garbage one can only be discarded, with a reason.
    JsonNode rest =
        json(
            (String)
                mbeans.invoke(
                    name,
                    "list",
                    new Object[] {"SCHEMA_INVALID", "jmx-till", 0, 50},
                    new String[] {
                      String.class.getName(),
                      String.class.getName(),
                      int.class.getName(),
                      int.class.getName()
                    }));
    String id = firstId(rest);
    mbeans.invoke(
        name,
        "discard",
        new Object[] {id, "test garbage"},
        new String[] {String.class.getName(), String.class.getName()});
    assertThat((Long) mbeans.getAttribute(name, "Depth")).isEqualTo(before);

    assertThat(
            jdbc.queryForObject(
                "select count(*) from dead_letter_audit where terminal_id = 'jmx-till' and action = 'REPLAY' and outcome = 'ACCEPTED'",
                Long.class))
        .isEqualTo(2L);
    assertThat(
            jdbc.queryForList(
                "select actor || ' ' || outcome || ' ' || detail from dead_letter_audit where action = 'DISCARD'",
                String.class))
        .singleElement()
        .asString()
        .startsWith("jmx")
        .endsWith("DISCARDED test garbage");
  }

  private static String firstId(JsonNode page) {
    JsonNode items = page.has("items") ? page.get("items") : page;
    for (JsonNode item : items) {
      return item.get("id").asText();
    }
    throw new AssertionError("no dead letter listed in " + page);
  }

  private static JsonNode json(String s) throws IOException {
    return Contracts.mapper().readTree(s);
  }

  private static String sale(UUID id, String bracelet, long seq) {
    return "{\"operationId\":\""
        + id
        + "\",\"type\":\"sale.recorded\",\"schemaVersion\":1,\"terminalId\":\"jmx-till\","
        + "\"sequence\":"
        + seq
        + ",\"occurredAt\":\"2026-11-23T21:15:00Z\",\"payload\":{\"braceletId\":\""
        + bracelet
        + "\","
        + "\"lines\":[{\"productId\":\"beer\",\"quantity\":1,\"unitPrice\":3.50}],\"total\":3.50,\"paid\":false}}";
  }
}
