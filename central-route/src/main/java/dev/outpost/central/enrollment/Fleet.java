package dev.outpost.central.enrollment;

import dev.outpost.central.config.BrokerConfig.EmbeddedBrokerHolder;
import dev.outpost.contracts.Destinations;
import dev.outpost.support.FeaturePort;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.ServerSession;
import org.springframework.stereotype.Service;

/**
 * The fleet as ops see it ({@code GET /api/v1/terminals}, {@code ./outpost terminals list}): each
 * terminal known to central, enrolled or revoked, when last seen, whether it is connected to this
 * central's broker now, what waits for it at central, its last sequence and gaps, the age of its
 * master data, and alerts.
 */
@FeaturePort
@Service
public class Fleet {
  static final Duration MASTERDATA_STALE = Duration.ofHours(1);
  private final FleetRepository terminals;
  private final EmbeddedBrokerHolder broker;

  public Fleet(FleetRepository terminals, EmbeddedBrokerHolder broker) {
    this.terminals = terminals;
    this.broker = broker;
  }

  public List<Map<String, Object>> list() {
    ActiveMQServer server = broker.broker() == null ? null : broker.broker().server();
    Set<String> connected = server == null ? null : connectedUsers(server);
    Instant now = Instant.now();
    List<Map<String, Object>> out = new ArrayList<>();
    for (FleetRepository.TerminalRow r : terminals.terminals()) {
      Map<String, Object> t = r.columns();
      String id = (String) t.get("terminal_id");
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("terminal_id", id);
      boolean enrolled = r.enrolled();
      boolean revoked = t.get("revoked_at") != null;
      row.put("status", revoked ? "REVOKED" : enrolled ? "ENROLLED" : "UNENROLLED");
      row.put("enrolled_at", t.get("enrolled_at"));
      row.put("revoked_at", t.get("revoked_at"));
      row.put("last_sequence", t.get("last_sequence"));
      row.put("first_seen_at", t.get("first_seen_at"));
      row.put("last_seen_at", t.get("last_seen_at"));
      Boolean online = connected == null ? null : connected.contains(id);
      row.put("online", online);
      row.put("waiting_at_central", server == null ? null : waiting(server, id));
      Instant pulled = r.masterdataPulledAt();
      Long age = pulled == null ? null : Duration.between(pulled, now).toSeconds();
      row.put("masterdata_age_seconds", age);
      long gaps = r.gapCount();
      row.put("gaps", terminals.gaps(id));
      List<String> alerts = new ArrayList<>();
      if (revoked) {
        alerts.add("REVOKED");
      } else if (!enrolled) {
        alerts.add("NOT_ENROLLED");
      }
      if (Boolean.FALSE.equals(online) && !revoked) {
        alerts.add("OFFLINE");
      }
      if (gaps > 0) {
        alerts.add("SEQUENCE_GAPS");
      }
      if (age == null || age > MASTERDATA_STALE.toSeconds()) {
        alerts.add("MASTERDATA_STALE");
      }
      row.put("alerts", alerts);
      out.add(row);
    }
    return out;
  }

  private static Set<String> connectedUsers(ActiveMQServer server) {
    Set<String> users = new HashSet<>();
    for (ServerSession s : server.getSessions()) {
      if (s.getValidatedUser() != null) {
        users.add(s.getValidatedUser());
      }
    }
    return users;
  }

  /** Receipts and master-data changes held at central until the terminal takes them. */
  private static long waiting(ActiveMQServer server, String terminal) {
    long n = 0;
    for (String q : List.of(Destinations.receipts(terminal), Destinations.masterData(terminal))) {
      Queue queue = server.locateQueue(SimpleString.of(q));
      if (queue != null) {
        n += queue.getMessageCount();
      }
    }
    return n;
  }
}
