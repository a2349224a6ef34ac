package dev.outpost.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outpost.system.harness.Acks;
import dev.outpost.system.harness.AppProcess;
import dev.outpost.system.harness.Central;
import dev.outpost.system.harness.CentralBroker;
import dev.outpost.system.harness.DeliveryCheck;
import dev.outpost.system.harness.Edge;
import dev.outpost.system.harness.EdgeClient;
import dev.outpost.system.harness.FailoverProxy;
import dev.outpost.system.harness.Ops;
import dev.outpost.system.harness.Ports;
import dev.outpost.system.harness.PostgresFixture;
import dev.outpost.system.harness.TestPaths;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shared-store HA on one machine: {@code ./outpost broker --ha primary} and {@code --ha backup} on
 * one data dir, with one address in front of them (as the Kubernetes Service is: only the live
 * broker listens, so connections reach it). central-route and a terminal use that address. The
 * primary is killed with kill -9 while the terminal forwards: the backup takes the journal's lock
 * and goes live, the terminal's bridge and central-route reconnect by themselves, and every
 * acknowledged sale is applied exactly once, in sequence order. A second central-route replica is
 * given both brokers as a list ({@code OUTPOST_BROKER_URL=(tcp://…,tcp://…)?ha=true}); the first
 * replica is killed with kill -9 together with the primary, so the second fails over to the backup
 * and takes over the first one's lanes. Then the old primary restarts and fails back (the backup
 * waits again), and later sales still arrive exactly once.
 */
class BrokerHaIT {
  private static final Logger LOG = LoggerFactory.getLogger(BrokerHaIT.class);
  private static final String TERMINAL = "broker-ha-till-1";

  /** Given both brokers as a list (no address in front), as on a two-machine install. */
  private static final String LISTING = "broker-ha-till-2";

  private static final int BEFORE_KILL = 60;
  private static final int TOTAL = 300;
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private PostgresFixture pg;
  private CentralBroker primary;
  private CentralBroker backup;
  private FailoverProxy service;
  private Central central;
  private Central replica;
  private Edge edge;
  private Edge listing;

  @AfterEach
  void stop() {
    for (AutoCloseable c :
        new AutoCloseable[] {edge, listing, central, replica, service, backup, primary, pg}) {
      if (c != null) {
        try {
          c.close();
        } catch (Exception e) {
          // best effort: the next one must still stop
        }
      }
    }
  }

  @Test
  void theBackupTakesOverAfterKill9OfThePrimaryAndNothingIsLostOrDuplicated() throws Exception {
    pg = new PostgresFixture("BrokerHaIT").start();
    Path shared = TestPaths.freshDataDir("BrokerHaIT-shared-store");
    int p1 = Ports.free();
    int p2 = Ports.free();
    String cluster = UUID.randomUUID().toString();
    primary =
        CentralBroker.ha("BrokerHaIT-primary", pg, shared, "primary", p1, p2, cluster).start();
    backup = CentralBroker.ha("BrokerHaIT-backup", pg, shared, "backup", p2, p1, cluster);
    backup.process().launch();
    await("backup alive and waiting")
        .atMost(Duration.ofMinutes(2))
        .ignoreExceptions()
        .until(() -> status(backup, "/actuator/health/liveness") == 200);
    assertThat(status(backup, "/actuator/health/readiness"))
        .as("a waiting backup is not ready")
        .isEqualTo(503);

    service = new FailoverProxy(List.of(p1, p2));
    central = Central.withExternalBroker("BrokerHaIT-central", pg, service.port(), primary.caPem());
    replica =
        Central.withExternalBroker(
            "BrokerHaIT-central-listing",
            pg,
            "(tcp://127.0.0.1:" + p1 + ",tcp://127.0.0.1:" + p2 + ")?ha=true",
            service.port(),
            primary.caPem());
    AppProcess.startTogether(central.process(), replica.process());
    edge = Edge.create("BrokerHaIT-edge", TERMINAL, central);
    listing =
        Edge.create(
            "BrokerHaIT-edge-listing",
            LISTING,
            central,
            "(tcp://127.0.0.1:" + p1 + ",tcp://127.0.0.1:" + p2 + ")");
    AppProcess.startTogether(edge.process(), listing.process());
    EdgeClient pos = edge.client();
    EdgeClient pos2 = listing.client();
    Acks acks = new Acks();
    Acks acks2 = new Acks();
    BigDecimal before = pg.db().consumed(Ops.ACTIVE_BRACELET);

    // The terminal's app posts a sale every 10 ms throughout; the primary dies mid-stream, while
    // the bridge is forwarding.
    java.util.concurrent.atomic.AtomicInteger posted =
        new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.CompletableFuture<BigDecimal> poster =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> {
              BigDecimal sum = BigDecimal.ZERO;
              for (int i = 0; i < TOTAL; i++) {
                sum = sum.add(postSale(pos, acks, 1 + i % 3));
                sum = sum.add(postSale(pos2, acks2, 1 + i % 2));
                posted.incrementAndGet();
                try {
                  Thread.sleep(10);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  throw new IllegalStateException(e);
                }
              }
              return sum;
            });
    await("forwarding under way")
        .atMost(Duration.ofMinutes(2))
        .until(() -> pg.db().operations(TERMINAL) >= BEFORE_KILL);
    primary.process().kill9();
    // The replica on the proxy dies with the broker: the one given the list must fail over to the
    // backup and apply every lane, the dead replica's included.
    central.process().kill9();
    long appliedAtKill = pg.db().operations(TERMINAL);
    LOG.info("primary killed with {} applied of {} posted so far", appliedAtKill, posted.get());
    // Mid-stream: the bridge still had operations to forward (the terminal may have posted all of
    // them already when forwarding lags behind on a busy machine).
    assertThat(appliedAtKill).as("still forwarding when the primary died").isLessThan(TOTAL);
    BigDecimal expected = poster.get(3, java.util.concurrent.TimeUnit.MINUTES);

    await("the backup is live")
        .atMost(Duration.ofMinutes(1))
        .ignoreExceptions()
        .until(() -> status(backup, "/actuator/health/readiness") == 200);
    await("every acknowledged sale applied at central")
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () ->
                DeliveryCheck.of(pg.db(), TERMINAL, acks).allArrived()
                    && DeliveryCheck.of(pg.db(), LISTING, acks2).allArrived());
    DeliveryCheck check = DeliveryCheck.of(pg.db(), TERMINAL, acks);
    DeliveryCheck check2 = DeliveryCheck.of(pg.db(), LISTING, acks2);
    LOG.info("after failover: {}; the terminal listing both brokers: {}", check, check2);
    check.assertClean();
    check2.assertClean();
    assertThat(check.acknowledged()).isEqualTo(TOTAL);
    assertThat(check2.acknowledged()).isEqualTo(TOTAL);
    assertThat(pg.db().consumed(Ops.ACTIVE_BRACELET)).isEqualByComparingTo(before.add(expected));
    // The old primary comes back: it fails back (the backup hands the journal back and waits
    // again), and the terminal goes on through the same address.
    primary.process().start(Duration.ofMinutes(3));
    await("the backup waits again")
        .atMost(Duration.ofMinutes(2))
        .ignoreExceptions()
        .until(() -> status(backup, "/actuator/health/readiness") == 503);
    BigDecimal more = BigDecimal.ZERO;
    for (int i = 0; i < 20; i++) {
      more = more.add(postSale(pos, acks, 1));
      more = more.add(postSale(pos2, acks2, 1));
    }
    await("sales after the failback applied")
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () ->
                DeliveryCheck.of(pg.db(), TERMINAL, acks).allArrived()
                    && DeliveryCheck.of(pg.db(), LISTING, acks2).allArrived());
    check = DeliveryCheck.of(pg.db(), TERMINAL, acks);
    check2 = DeliveryCheck.of(pg.db(), LISTING, acks2);
    LOG.info("after failback: {}; the terminal listing both brokers: {}", check, check2);
    check.assertClean();
    check2.assertClean();
    assertThat(check.acknowledged()).isEqualTo(TOTAL + 20);
    assertThat(check2.acknowledged()).isEqualTo(TOTAL + 20);
    assertThat(pg.db().consumed(Ops.ACTIVE_BRACELET))
        .isEqualByComparingTo(before.add(expected).add(more));
    await("the terminal's ledger has every receipt")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofSeconds(1))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              assertThat(pos.syncStatus().path("pending").asLong(-1)).isZero();
              assertThat(pos2.syncStatus().path("pending").asLong(-1)).isZero();
            });
  }

  private static BigDecimal postSale(EdgeClient pos, Acks acks, int quantity) {
    UUID id = Ops.newId();
    acks.sent(id.toString());
    EdgeClient.Response r = pos.postOperation(Ops.json(Ops.sale(id, quantity)));
    assertThat(r.status()).as("POST sale: %s", r.body()).isEqualTo(202);
    acks.acknowledged(r.json());
    return Ops.saleTotal(quantity);
  }

  private static int status(CentralBroker broker, String path) throws Exception {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create(broker.process().baseUrl() + path))
                .timeout(Duration.ofSeconds(3))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }
}
