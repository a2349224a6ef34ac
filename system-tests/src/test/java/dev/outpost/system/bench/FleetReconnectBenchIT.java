package dev.outpost.system.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outpost.broker.BridgeBackoff;
import dev.outpost.system.harness.Central;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.FailoverEventType;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fleet reconnecting after central's broker restarts (issue 12, "without a stampede"): {@code
 * bench.fleet.terminals} (300) enrolled terminals, each a core connection over TLS with its own
 * credentials and a terminal bridge's reconnect settings (forever, doubling from the first interval
 * up to a cap, the link's 5 s ping and 20 s TTL). Central is killed with kill -9 and started again
 * on the same data, twice: once with the fleet's spread schedule ({@link BridgeBackoff}: each
 * terminal its own factor) and once with every terminal on the same 500 ms × 2 up to 5 s, as
 * Artemis's settings alone would give. For each it reports when the terminals got back after the
 * broker accepted connections again, and the busiest quarter second. A documented command ({@code
 * ./outpost bench --fleet}), not part of the suite.
 */
class FleetReconnectBenchIT {
  private static final Logger LOG = LoggerFactory.getLogger(FleetReconnectBenchIT.class);
  private static final int TERMINALS = Integer.getInteger("bench.fleet.terminals", 300);
  private static final Duration DOWN = Duration.ofSeconds(10);

  @Test
  void theFleetReconnectsSpreadOutAfterCentralRestarts() throws Exception {
    // A client reconnects on a thread of its JVM's pool: a real terminal has four links, this JVM
    // holds the whole fleet's (the default pool, 8 per core, would serialise their reconnects).
    ActiveMQClient.clearThreadPools();
    ActiveMQClient.setGlobalThreadPoolProperties(4 * TERMINALS + 16, 16, 16);
    try (Central central = Central.withEmbeddedDb("FleetReconnect-central").start()) {
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < TERMINALS; i++) {
        ids.add(String.format(Locale.ROOT, "fleet-%04d", i));
      }
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<?>> enrolled = new ArrayList<>();
        for (String id : ids) {
          enrolled.add(pool.submit(() -> central.secret(id)));
        }
        for (Future<?> f : enrolled) {
          f.get();
        }
        LOG.info("{} terminals enrolled", TERMINALS);
        Round spread = round(central, ids, true, pool);
        Round lockstep = round(central, ids, false, pool);
        String table =
            String.format(
                Locale.ROOT,
                "Fleet reconnect after kill -9 and restart of central (%d terminals, TLS, own"
                    + " credentials; central down %d s plus its start)%n"
                    + "%-34s %8s %8s %8s %8s %12s%n%s%n%s%n",
                TERMINALS,
                DOWN.toSeconds(),
                "schedule",
                "back",
                "p50 s",
                "p95 s",
                "max s",
                "peak/250ms",
                spread.row("spread (BridgeBackoff)"),
                lockstep.row("lockstep (500 ms x 2, cap 5 s)"));
        Path out = Path.of("target", "bench", "fleet-reconnect.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, table);
        System.out.println(table);
        assertThat(spread.back()).as("every terminal back (spread)").isEqualTo(TERMINALS);
        assertThat(lockstep.back()).as("every terminal back (lockstep)").isEqualTo(TERMINALS);
      } finally {
        pool.shutdownNow();
      }
    }
  }

  /** After the broker accepted again: each terminal's delay, and the busiest quarter second. */
  record Round(List<Double> seconds, int back, int peak) {
    String row(String name) {
      List<Double> s = new ArrayList<>(seconds);
      Collections.sort(s);
      return String.format(
          Locale.ROOT,
          "%-34s %8d %8.2f %8.2f %8.2f %12d",
          name,
          back,
          pct(s, 0.50),
          pct(s, 0.95),
          s.isEmpty() ? Double.NaN : s.get(s.size() - 1),
          peak);
    }

    private static double pct(List<Double> sorted, double p) {
      return sorted.isEmpty()
          ? Double.NaN
          : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }
  }

  private static Round round(
      Central central, List<String> ids, boolean spread, ExecutorService pool) throws Exception {
    List<Future<Link>> opening = new ArrayList<>();
    for (String id : ids) {
      opening.add(pool.submit(() -> Link.open(central, id, spread)));
    }
    List<Link> links = new ArrayList<>();
    try {
      for (Future<Link> f : opening) {
        links.add(f.get());
      }
      LOG.info("{} links open ({}); killing central", links.size(), spread ? "spread" : "lockstep");
      central.process().kill9();
      await("every terminal sees central gone")
          .atMost(Duration.ofMinutes(1))
          .conditionEvaluationListener(
              c ->
                  LOG.info(
                      "{} of {} links saw central go",
                      links.stream().filter(l -> l.failedAt.get() > 0).count(),
                      links.size()))
          .until(() -> links.stream().allMatch(l -> l.failedAt.get() > 0));
      LOG.info("every link saw central go; starting it again in {} s", DOWN.toSeconds());
      Thread.sleep(DOWN.toMillis());
      AtomicLong acceptingAt = new AtomicLong();
      Thread watch =
          new Thread(
              () -> {
                while (acceptingAt.get() == 0 && !Thread.currentThread().isInterrupted()) {
                  try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", central.brokerPort()), 200);
                    acceptingAt.set(System.nanoTime());
                  } catch (IOException notYet) {
                    try {
                      Thread.sleep(20);
                    } catch (InterruptedException e) {
                      return;
                    }
                  }
                }
              },
              "broker-accepting");
      watch.start();
      central.process().start(Duration.ofMinutes(3));
      LOG.info("central ready again; waiting for the links");
      await("every terminal back")
          .atMost(Duration.ofMinutes(3))
          .until(() -> links.stream().allMatch(l -> l.backAt.get() > 0));
      watch.interrupt();
      long up = acceptingAt.get();
      List<Double> seconds = new ArrayList<>();
      int[] quarters = new int[4 * 600];
      for (Link l : links) {
        double s = Math.max(0, (l.backAt.get() - up) / 1e9);
        seconds.add(s);
        quarters[Math.min(quarters.length - 1, (int) (s * 4))]++;
      }
      int peak = 0;
      for (int q : quarters) {
        peak = Math.max(peak, q);
      }
      return new Round(seconds, seconds.size(), peak);
    } finally {
      links.forEach(Link::close);
    }
  }

  /** One terminal's link as its bridges hold it: reconnects forever on the bridge's schedule. */
  static final class Link implements AutoCloseable {
    final AtomicLong failedAt = new AtomicLong();
    final AtomicLong backAt = new AtomicLong();
    private final ServerLocator locator;
    private final ClientSessionFactory factory;
    private final ClientSession session; // held open, as a bridge holds its session

    private Link(ServerLocator locator, ClientSessionFactory factory, ClientSession session) {
      this.locator = locator;
      this.factory = factory;
      this.session = session;
    }

    static Link open(Central central, String terminal, boolean spread) throws Exception {
      long first = spread ? BridgeBackoff.retryMillis(terminal) : BridgeBackoff.BASE_RETRY_MILLIS;
      long cap =
          spread
              ? BridgeBackoff.maxRetryMillis(terminal, BridgeBackoff.BASE_MAX_RETRY_MILLIS)
              : BridgeBackoff.BASE_MAX_RETRY_MILLIS;
      ServerLocator locator =
          ActiveMQClient.createServerLocator(central.tlsUrl())
              .setReconnectAttempts(-1)
              .setRetryInterval(first)
              .setRetryIntervalMultiplier(2)
              .setMaxRetryInterval(cap)
              .setClientFailureCheckPeriod(5_000)
              .setConnectionTTL(20_000)
              .setCallTimeout(10_000);
      ClientSessionFactory factory = locator.createSessionFactory();
      ClientSession session =
          factory.createSession(terminal, central.secret(terminal), false, true, true, false, 0);
      Link link = new Link(locator, factory, session);
      session.addFailureListener(
          new org.apache.activemq.artemis.api.core.client.SessionFailureListener() {
            @Override
            public void beforeReconnect(org.apache.activemq.artemis.api.core.ActiveMQException e) {
              link.failedAt.compareAndSet(0, System.nanoTime());
            }

            @Override
            public void connectionFailed(
                org.apache.activemq.artemis.api.core.ActiveMQException e, boolean failedOver) {
              link.failedAt.compareAndSet(0, System.nanoTime());
            }

            @Override
            public void connectionFailed(
                org.apache.activemq.artemis.api.core.ActiveMQException e,
                boolean failedOver,
                String scaleDownTargetNodeID) {
              connectionFailed(e, failedOver);
            }
          });
      factory.addFailoverListener(
          event -> {
            if (event == FailoverEventType.FAILURE_DETECTED) {
              link.failedAt.compareAndSet(0, System.nanoTime());
            } else if (event == FailoverEventType.FAILOVER_COMPLETED) {
              link.backAt.compareAndSet(0, System.nanoTime());
            }
          });
      return link;
    }

    /** Without a goodbye to the broker (it may be gone): a round must not wait on 300 closes. */
    @Override
    public void close() {
      factory.cleanup();
      locator.close();
    }
  }
}
