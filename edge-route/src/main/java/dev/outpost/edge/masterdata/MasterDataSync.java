package dev.outpost.edge.masterdata;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outpost.contracts.Contracts;
import dev.outpost.contracts.MasterDataChange;
import dev.outpost.contracts.MasterDataSets;
import dev.outpost.edge.config.EdgeProperties;
import dev.outpost.edge.sync.CentralClock;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Pulls from central's HTTP sync API (the terminal dials out, as it does to the broker): a full
 * snapshot of each set never loaded, and on each set's cadence a checksum comparison that resyncs a
 * set that drifted. Changes between pulls arrive on the broker (see {@link MasterDataChangeRoute});
 * the cadence only bounds staleness.
 */
@Component
public class MasterDataSync {
  private static final Logger LOG = LoggerFactory.getLogger(MasterDataSync.class);

  private final MasterDataStore store;
  private final MasterDataState state;
  private final String centralUrl;
  private final String terminalId;
  private final Duration cadence;
  private final Duration membersCadence;
  private final HttpClient http;
  private final CentralClock centralClock;

  /** HTTP basic for central's API (GET needs a viewer login there); null when not configured. */
  private final String authorization;

  /**
   * When each set was last compared with central in this run; empty at start-up, so all are due.
   */
  private final Map<String, Instant> lastChecked = new ConcurrentHashMap<>();

  private volatile boolean centralReachable = true;

  public MasterDataSync(
      MasterDataStore store,
      MasterDataState state,
      EdgeProperties props,
      @Value("${outpost.central.http-url:http://127.0.0.1:8080}") String centralUrl,
      @Value("${outpost.masterdata.cadence:15m}") Duration cadence,
      @Value("${outpost.masterdata.cadence-members:24h}") Duration membersCadence,
      @Value("${outpost.central.http-user:}") String httpUser,
      @Value("${outpost.central.http-password:}") String httpPassword,
      CentralClock centralClock) {
    this.store = store;
    this.state = state;
    this.centralUrl =
        centralUrl.endsWith("/") ? centralUrl.substring(0, centralUrl.length() - 1) : centralUrl;
    this.terminalId = props.terminalId();
    this.cadence = cadence;
    this.membersCadence = membersCadence;
    this.centralClock = centralClock;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    this.authorization =
        httpUser == null || httpUser.isBlank()
            ? null
            : "Basic "
                + java.util.Base64.getEncoder()
                    .encodeToString(
                        (httpUser + ":" + httpPassword).getBytes(StandardCharsets.UTF_8));
  }

  /** Visits are stamped by central: their scope is judged by central's clock, as measured. */
  Instant visitCutoff() {
    return MasterDataGuard.visitCutoff(centralClock.now());
  }

  /** Pulls what is due; with {@code force} every set is compared now ("sync now"). */
  public synchronized void syncDue(boolean force) {
    Instant now = Instant.now();
    Instant cutoff = visitCutoff();
    if (centralClock.centralNow().isPresent()) {
      // Housekeeping only, and never on an unmeasured clock: a clock days ahead would drop visits
      // still in scope, and sales against them would be refused until the next resync.
      store.pruneVisits(cutoff);
    }
    List<String> due = new ArrayList<>();
    for (String set : MasterDataSets.ALL) {
      Instant last = lastChecked.get(set);
      Duration every = MasterDataSets.MEMBERS.equals(set) ? membersCadence : cadence;
      if (force || last == null || !state.loaded(set) || !now.isBefore(last.plus(every))) {
        due.add(set);
      }
    }
    if (due.isEmpty()) {
      return;
    }
    try {
      JsonNode central =
          get(
              "/api/v1/masterdata-sync/checksums?terminal="
                  + enc(terminalId)
                  + "&visitsSince="
                  + enc(cutoff.toString()));
      for (String set : due) {
        MasterDataStore.Checksum local = store.checksum(set, cutoff);
        JsonNode theirs = central.path("sets").path(set);
        boolean same =
            theirs.path("count").asLong(-1) == local.count()
                && local.hash().equals(theirs.path("hash").asText());
        if (!state.loaded(set) || !same) {
          if (state.loaded(set)) {
            LOG.info(
                "Master-data set {} drifted (local {} records, central {}); resyncing",
                set,
                local.count(),
                theirs.path("count"));
          }
          snapshot(set);
        } else {
          store.markPulled(set, Instant.now());
        }
        lastChecked.put(set, now);
      }
      if (!centralReachable) {
        LOG.info("Central's master-data API at {} is reachable again", centralUrl);
      }
      centralReachable = true;
    } catch (IOException e) {
      if (centralReachable) {
        LOG.warn(
            "Central's master-data API at {} not reachable ({}); serving the cached master data",
            centralUrl,
            e.toString());
      }
      centralReachable = false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  void snapshot(String set) throws IOException, InterruptedException {
    Instant requestedAt = Instant.now();
    JsonNode doc =
        get("/api/v1/masterdata-sync/snapshots/" + enc(set) + "?terminal=" + enc(terminalId));
    List<MasterDataChange> records = new ArrayList<>();
    for (JsonNode r : doc.path("records")) {
      records.add(Contracts.mapper().convertValue(r, MasterDataChange.class));
    }
    store.replaceSet(set, records, requestedAt, Instant.now());
    LOG.info("Master-data set {} loaded from central: {} records", set, records.size());
  }

  private JsonNode get(String pathAndQuery) throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(centralUrl + pathAndQuery))
            .timeout(Duration.ofSeconds(60))
            .GET();
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    long sent = System.nanoTime();
    HttpResponse<String> res = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    res.headers().firstValue("Date").ifPresent(date -> centralDate(date, sent));
    if (res.statusCode() != 200) {
      throw new IOException("central answered " + res.statusCode() + " to " + pathAndQuery);
    }
    return Contracts.mapper().readTree(res.body());
  }

  private void centralDate(String date, long sentNanos) {
    try {
      centralClock.answeredWithDate(
          java.time.ZonedDateTime.parse(date, java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME)
              .toInstant(),
          sentNanos);
    } catch (java.time.format.DateTimeParseException e) {
      LOG.debug("Central's Date header {} not understood", date);
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
