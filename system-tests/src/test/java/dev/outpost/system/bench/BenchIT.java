package dev.outpost.system.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.contracts.Contracts;
import dev.outpost.contracts.Destinations;
import dev.outpost.contracts.OperationEnvelope;
import dev.outpost.system.bench.BenchReport.Row;
import dev.outpost.system.harness.Central;
import dev.outpost.system.harness.Edge;
import dev.outpost.system.harness.LinkProxy;
import dev.outpost.system.harness.Ops;
import dev.outpost.system.harness.TestPaths;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.message.impl.CoreMessage;
import org.apache.activemq.artemis.reader.TextMessageUtil;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * {@code ./outpost bench}: the real processes (central with its embedded PostgreSQL and broker, one
 * enrolled terminal with thousands of products and visits in its cache), each figure beside the raw
 * limit of the same machine measured in the same run. Not part of the test suite (profile {@code
 * bench}); {@code -Dbench.quick=true} is the short variant. Writes {@code target/bench/}.
 */
class BenchIT {
  private static final boolean QUICK = Boolean.getBoolean("bench.quick");
  private static final int PRODUCTS = QUICK ? 1_000 : 5_000;
  private static final int VISITS = QUICK ? 1_000 : 5_000;
  private static final String TERMINAL = "bench-till-1";

  /** Issue 10's slow link: a stadium on mobile data. */
  private static final long SLOW_LINK_BITS_PER_SECOND = 256_000;

  private static final Duration SLOW_LINK_ONE_WAY = Duration.ofMillis(150);

  /**
   * Extra parameters of the terminal's link URL, e.g. {@code batchDelay=10}, to compare settings.
   */
  private static final String LINK_PARAMETERS = System.getProperty("bench.linkParameters", "");

  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final AtomicLong bracelet = new AtomicLong();

  @Test
  void bench() throws Exception {
    BenchReport report = new BenchReport(machine());
    Path dir = TestPaths.freshDataDir("bench");
    Central central = Central.withEmbeddedDb("BenchIT-central").start();
    seedMasterData(central);
    // The link runs through a proxy (a pass-through until scenario 6 shapes it) that counts bytes.
    LinkProxy link = new LinkProxy(central.brokerPort());
    Edge edge =
        Edge.create(
            "BenchIT-edge",
            TERMINAL,
            central,
            link.url() + (LINK_PARAMETERS.isBlank() ? "" : "?" + LINK_PARAMETERS));
    try (central;
        link;
        edge) {
      long t0 = System.nanoTime();
      edge.process().start();
      double startSeconds = (System.nanoTime() - t0) / 1e9;
      Thread.sleep(2_000);
      double restingMb = rssMb(edge.process().pid());
      long restingClasses = BareWebAppReference.loadedClasses(edge.process().pid());
      // The yardstick: a bare Spring Boot web app with the terminal's JVM options, this run.
      BareWebAppReference.Started bare =
          BareWebAppReference.measure(dir, edge.process().ownJvmOptions());
      await()
          .atMost(Duration.ofMinutes(2))
          .until(
              () ->
                  Contracts.mapper()
                      .readTree(get(edge.baseUrl() + "/api/v1/sync/status"))
                      .at("/masterData/readyForOffline")
                      .asBoolean());
      String url = edge.baseUrl() + "/api/v1/operations";
      String envelope = sale(UUID.randomUUID());

      try (RawChain raw = new RawChain(dir.resolve("raw"))) {
        // 1. Till latency: one client, one sale after another.
        post(url, QUICK ? 200 : 1_000); // warm-up
        Latencies till = sequential(url, QUICK ? 500 : 5_000);
        raw.run(1, Duration.ofSeconds(2), envelope); // warm-up
        Latencies rawOne = raw.run(1, Duration.ofSeconds(QUICK ? 3 : 10), envelope).latencies();
        report.add(
            row("till latency p50", "ms", till.percentileMs(50), rawOne.percentileMs(50), 3));
        report.add(
            row("till latency p99", "ms", till.percentileMs(99), rawOne.percentileMs(99), 10));
        report.add(
            row(
                "till latency p99.9",
                "ms",
                till.percentileMs(99.9),
                rawOne.percentileMs(99.9),
                -1));

        // 2. Terminal throughput at 16 and 64 clients.
        for (int clients : new int[] {16, 64}) {
          Duration d = Duration.ofSeconds(QUICK ? 5 : 20);
          Throughput t = concurrent(url, clients, d);
          RawChain.Result r = raw.run(clients, d, envelope);
          Row ops =
              new Row(
                  "terminal throughput, " + clients + " clients",
                  "ops/s",
                  t.opsPerSecond,
                  r.opsPerSecond(),
                  0.9 * r.opsPerSecond(),
                  true,
                  "");
          report.add(ops);
          report.add(
              row(
                  "terminal p99, " + clients + " clients",
                  "ms",
                  t.latencies.percentileMs(99),
                  r.latencies().percentileMs(99),
                  -1));
        }
      }

      // 5. Footprint.
      report.add(
          new Row(
              "terminal start to ready",
              "s",
              startSeconds,
              bare.seconds(),
              2 * bare.seconds(),
              false,
              "raw: a bare Spring Boot web app, same JVM options"));
      report.add(terminalMemory("at rest", restingMb, bare));
      report.add(
          new Row(
              "terminal classes loaded at ready (start time and metaspace pay for them)",
              "classes",
              restingClasses,
              bare.classes(),
              Double.NaN,
              false,
              "raw: the bare Spring Boot web app"));
      report.add(terminalMemory("after the runs", rssMb(edge.process().pid()), bare));
      report.add(
          new Row(
              "central resident memory after the runs",
              "MB",
              rssMb(central.process().pid()),
              Double.NaN,
              Double.NaN,
              false,
              ""));

      // 3. Backlog drain: forwarding paused, a backlog recorded, then resumed.
      int backlog = QUICK ? 2_000 : 100_000;
      double[] backlogMb = {Double.NaN};
      Drain fast =
          drain(
              central, edge, link, url, backlog, () -> backlogMb[0] = rssMb(edge.process().pid()));
      double rawUpsert = copyUpsertRate(central, backlog);
      double rawBridge = RawBridge.drain(dir, 20_000, forwardedEnvelope());
      report.add(
          new Row(
              "backlog of " + backlog + " drained into PostgreSQL",
              "ops/s",
              fast.opsPerSecond(),
              Math.min(rawUpsert, rawBridge),
              10_000,
              true,
              String.format(
                  "raw: the slower of a bare core bridge (%,.0f msg/s) and COPY to staging +"
                      + " INSERT … ON CONFLICT (%,.0f rows/s)",
                  rawBridge, rawUpsert)));
      report.add(terminalMemory("holding the backlog", backlogMb[0], bare));
      report.add(
          new Row(
              "receipts back after the drain",
              "s",
              fast.receiptsSeconds(),
              Double.NaN,
              10,
              false,
              ""));

      // 6. Slow link: the same drain over 256 kbit/s each way with a 300 ms round trip.
      int slowBacklog = QUICK ? 500 : 3_000;
      Drain slow =
          drain(
              central,
              edge,
              link,
              url,
              slowBacklog,
              () -> link.shape(SLOW_LINK_BITS_PER_SECOND, SLOW_LINK_ONE_WAY));
      link.unshape();
      int envelopeBytes = forwardedEnvelope().getBytes(StandardCharsets.UTF_8).length;
      report.add(
          new Row(
              "backlog of " + slowBacklog + " drained over 256 kbit/s, 300 ms RTT",
              "ops/s",
              slow.opsPerSecond(),
              SLOW_LINK_BITS_PER_SECOND / 8.0 / envelopeBytes,
              Double.NaN,
              true,
              "raw: the link's bandwidth / one operation's JSON (" + envelopeBytes + " B)"));
      report.add(
          new Row(
              "bytes on the wire per operation, upstream",
              "B",
              (double) slow.bytesUp() / slowBacklog,
              envelopeBytes,
              Double.NaN,
              false,
              "raw: the operation's JSON; core message "
                  + coreMessageBytes(forwardedEnvelope())
                  + " B before framing and TLS"));
      report.add(
          new Row(
              "bytes on the wire per operation, upstream until applied",
              "B",
              (double) slow.bytesUpWhileDraining() / slowBacklog,
              envelopeBytes,
              Double.NaN,
              false,
              "what the drain itself sent (the row above also has the acks of what came back)"));
      report.add(
          new Row(
              "bytes on the wire per operation, downstream",
              "B",
              (double) slow.bytesDown() / slowBacklog,
              Double.NaN,
              Double.NaN,
              false,
              "confirmations, receipts, master-data changes"));
      report.add(
          new Row(
              "receipts back after the slow drain",
              "s",
              slow.receiptsSeconds(),
              Double.NaN,
              Double.NaN,
              false,
              ""));

      // 7. Seed check: 100 operations posted and applied at central.
      long before = central.db().operations(TERMINAL);
      long s0 = System.nanoTime();
      post(url, 100);
      await()
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(10))
          .until(() -> central.db().operations(TERMINAL) >= before + 100);
      report.add(
          new Row(
              "100 operations end to end",
              "s",
              (System.nanoTime() - s0) / 1e9,
              Double.NaN,
              0.1,
              false,
              ""));
      // 4. Central ingest from many terminals: simulated bridges, each with its own credentials.
      for (int terminals : new int[] {10, 50}) {
        int perTerminal = (QUICK ? 10_000 : 50_000) / terminals;
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= terminals; i++) {
          ids.add("bench-bridge-" + terminals + "-" + i);
          central.enrollment(ids.get(i - 1));
        }
        long total = (long) terminals * perTerminal;
        long appliedBefore = central.db().operationsTotal();
        long sent0 = System.nanoTime();
        BridgeLoad.send(central, ids, perTerminal, VISITS);
        await()
            .atMost(Duration.ofMinutes(30))
            .pollInterval(Duration.ofMillis(100))
            .until(() -> central.db().operationsTotal() >= appliedBefore + total);
        double seconds = (System.nanoTime() - sent0) / 1e9;
        report.add(
            new Row(
                "central ingest, " + terminals + " terminals (" + total + " sales)",
                "ops/s",
                total / seconds,
                rawUpsert,
                20_000,
                true,
                "raw: COPY to staging + INSERT … ON CONFLICT, one connection"));
      }
      // 4b. Send-to-row latency at a steady 50 ops/s per terminal.
      for (int terminals : QUICK ? new int[] {10} : new int[] {10, 50}) {
        int seconds = QUICK ? 10 : 20;
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= terminals; i++) {
          ids.add("bench-steady-" + terminals + "-" + i);
          central.enrollment(ids.get(i - 1));
        }
        long total = (long) terminals * 50 * seconds;
        long appliedBefore = central.db().operationsTotal();
        BridgeLoad.send(central, ids, 50 * seconds, VISITS, 50);
        await()
            .atMost(Duration.ofMinutes(30))
            .pollInterval(Duration.ofMillis(100))
            .until(() -> central.db().operationsTotal() >= appliedBefore + total);
        report.add(
            new Row(
                "send-to-row p99, " + terminals + " terminals at 50 ops/s each",
                "ms",
                sendToRowP99Ms(central, ids),
                Double.NaN,
                Double.NaN,
                false,
                "no raw limit: a latency at a paced load"));
      }
      // A graceful stop lets each process write its JFR recording (./outpost bench --profile).
      edge.process().stop();
      central.process().stop();
    }
    String table = report.table();
    System.out.println(table);
    Path out = TestPaths.target().resolve("bench");
    report.write(out);
    Files.writeString(TestPaths.target().resolve("bench-table.txt"), table);
  }

  private static Row row(String figure, String unit, double outpost, double raw, double target) {
    return new Row(figure, unit, outpost, raw, target < 0 ? Double.NaN : target, false, "");
  }

  /** Products and visits at central, in one statement each; the terminal loads them at start. */
  private static void seedMasterData(Central central) throws Exception {
    try (Connection c = central.db().dataSource().getConnection()) {
      c.createStatement()
          .execute(
              "insert into products (id, name, price, available) select 'p-' || g, 'Product ' ||"
                  + " g, 1.50, true from generate_series(1, "
                  + PRODUCTS
                  + ") g on conflict do nothing");
      c.createStatement()
          .execute(
              "insert into visits (id, bracelet_id, opened_at) select 'v-bench-' || g, 'B-BENCH-'"
                  + " || g, now() from generate_series(1, "
                  + VISITS
                  + ") g on conflict do nothing");
    }
  }

  /** A sale of one beer on one of the seeded visits (spread, as at a real bar). */
  private String sale(UUID id) {
    ObjectNode op = Ops.sale(id, 1);
    ((ObjectNode) op.get("payload"))
        .put("braceletId", "B-BENCH-" + (1 + bracelet.getAndIncrement() % VISITS));
    return Ops.json(op);
  }

  /** A drained backlog: how long until applied in PostgreSQL, then until every receipt was back. */
  record Drain(
      int operations,
      double drainSeconds,
      double receiptsSeconds,
      long bytesUpWhileDraining,
      long bytesUp,
      long bytesDown) {
    double opsPerSecond() {
      return operations / drainSeconds;
    }
  }

  /**
   * Forwarding paused, {@code backlog} sales recorded by 16 clients, {@code beforeResume} (e.g.
   * shape the link), forwarding resumed: times and the link's bytes from the resume until every
   * receipt is back.
   */
  private Drain drain(
      Central central, Edge edge, LinkProxy link, String url, int backlog, Runnable beforeResume)
      throws Exception {
    await().atMost(Duration.ofMinutes(5)).until(() -> pending(edge) == 0);
    long applied = central.db().operations(TERMINAL);
    postEmpty(edge.baseUrl() + "/api/v1/sync/pause");
    concurrentCount(url, 16, backlog);
    beforeResume.run();
    long up0 = link.bytesUpstream();
    long down0 = link.bytesDownstream();
    long resumed = System.nanoTime();
    postEmpty(edge.baseUrl() + "/api/v1/sync/resume");
    await()
        .atMost(Duration.ofMinutes(30))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> central.db().operations(TERMINAL) >= applied + backlog);
    double drainSeconds = (System.nanoTime() - resumed) / 1e9;
    long upWhileDraining = link.bytesUpstream() - up0;
    await()
        .atMost(Duration.ofMinutes(30))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> pending(edge) == 0);
    double receiptsSeconds = (System.nanoTime() - resumed) / 1e9 - drainSeconds;
    return new Drain(
        backlog,
        drainSeconds,
        receiptsSeconds,
        upWhileDraining,
        link.bytesUpstream() - up0,
        link.bytesDownstream() - down0);
  }

  /** A sale as the terminal forwards it: the POS envelope with the terminal and its sequence. */
  private String forwardedEnvelope() throws Exception {
    return Contracts.mapper()
        .writeValueAsString(
            Contracts.mapper()
                .readValue(sale(UUID.randomUUID()), OperationEnvelope.class)
                .withTerminal(TERMINAL, 1_000_000));
  }

  /**
   * The core message the edge's {@code OutboundSender} makes of it (a text body and the same
   * properties): Artemis writes the text and every string property as UTF-16.
   */
  private static int coreMessageBytes(String envelope) {
    String id = UUID.randomUUID().toString();
    CoreMessage m = new CoreMessage(1, 4096);
    m.setType(Message.TEXT_TYPE);
    TextMessageUtil.writeBodyText(m.getBodyBuffer(), SimpleString.of(envelope));
    m.setAddress("outpost.ops.in." + TERMINAL);
    m.setDurable(true);
    m.putStringProperty(Message.HDR_DUPLICATE_DETECTION_ID, id);
    m.putStringProperty(Message.HDR_GROUP_ID, TERMINAL + ":normal");
    m.putStringProperty(Destinations.HDR_OPERATION_ID, id);
    m.putStringProperty(Destinations.HDR_TERMINAL_ID, TERMINAL);
    m.putStringProperty(Destinations.HDR_TYPE, "sale.recorded");
    m.putStringProperty(Destinations.HDR_SEQUENCE, "1000000");
    return m.getEncodeSize();
  }

  private Latencies sequential(String url, int count) throws Exception {
    Latencies l = new Latencies();
    for (int i = 0; i < count; i++) {
      String body = sale(Ops.newId());
      long t0 = System.nanoTime();
      expect202(url, body);
      l.add(System.nanoTime() - t0);
    }
    return l;
  }

  private void post(String url, int count) throws Exception {
    for (int i = 0; i < count; i++) {
      expect202(url, sale(Ops.newId()));
    }
  }

  record Throughput(Latencies latencies, double opsPerSecond) {}

  private Throughput concurrent(String url, int clients, Duration duration) throws Exception {
    long end = System.nanoTime() + duration.toNanos();
    Latencies all = new Latencies();
    List<Thread> threads = new ArrayList<>();
    List<Throwable> failures = new ArrayList<>();
    long start = System.nanoTime();
    for (int c = 0; c < clients; c++) {
      threads.add(
          Threads.start(
              () -> {
                try {
                  while (System.nanoTime() < end) {
                    String body = sale(Ops.newId());
                    long t0 = System.nanoTime();
                    expect202(url, body);
                    all.add(System.nanoTime() - t0);
                  }
                } catch (Throwable e) {
                  synchronized (failures) {
                    failures.add(e);
                  }
                }
              }));
    }
    for (Thread t : threads) {
      t.join();
    }
    assertThat(failures).isEmpty();
    return new Throughput(all, all.count() / ((System.nanoTime() - start) / 1e9));
  }

  private void concurrentCount(String url, int clients, int total) throws Exception {
    AtomicLong left = new AtomicLong(total);
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      threads.add(
          Threads.start(
              () -> {
                try {
                  while (left.getAndDecrement() > 0) {
                    expect202(url, sale(Ops.newId()));
                  }
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              }));
    }
    for (Thread t : threads) {
      t.join();
    }
  }

  private void expect202(String url, String body) throws IOException, InterruptedException {
    HttpResponse<String> res =
        http.send(
            HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (res.statusCode() != 202) {
      throw new IllegalStateException(res.statusCode() + " " + res.body());
    }
  }

  private String get(String url) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create(url)).GET().build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private void postEmpty(String url) throws Exception {
    HttpResponse<String> res =
        http.send(
            HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(res.statusCode()).as(url + " " + res.body()).isBetween(200, 299);
  }

  private long pending(Edge edge) throws Exception {
    return Contracts.mapper()
        .readTree(get(edge.baseUrl() + "/api/v1/sync/status"))
        .path("pending")
        .asLong();
  }

  /**
   * COPY {@code rows} envelopes into a staging table, then upsert into an operations-shaped one.
   */
  private static double copyUpsertRate(Central central, int rows) throws Exception {
    StringBuilder csv = new StringBuilder();
    for (int i = 0; i < rows; i++) {
      csv.append(UUID.randomUUID())
          .append(",bench-raw,")
          .append(i + 1)
          .append(",sale.recorded,2026-11-23T21:15:00Z\n");
    }
    try (Connection c = central.db().dataSource().getConnection()) {
      c.createStatement()
          .execute(
              "create table if not exists bench_raw_operations (operation_id uuid primary key,"
                  + " terminal_id text not null, sequence bigint not null, type text not null,"
                  + " occurred_at timestamptz not null)");
      c.setAutoCommit(false);
      long t0 = System.nanoTime();
      c.createStatement()
          .execute("create temp table bench_staging (like bench_raw_operations) on commit drop");
      CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
      copy.copyIn(
          "copy bench_staging from stdin with (format csv)",
          new java.io.StringReader(csv.toString()));
      c.createStatement()
          .execute(
              "insert into bench_raw_operations select * from bench_staging on conflict do nothing");
      c.commit();
      return rows / ((System.nanoTime() - t0) / 1e9);
    }
  }

  /** p99 of received_at - occurred_at at central (occurredAt is stamped at the send). */
  private static double sendToRowP99Ms(Central central, List<String> terminals) throws Exception {
    try (Connection c = central.db().dataSource().getConnection();
        var st =
            c.prepareStatement(
                "select percentile_cont(0.99) within group (order by extract(epoch from"
                    + " received_at - occurred_at)) * 1000 from operations where terminal_id ="
                    + " any(?)")) {
      st.setArray(1, c.createArrayOf("text", terminals.toArray()));
      try (var rs = st.executeQuery()) {
        rs.next();
        return rs.getDouble(1);
      }
    }
  }

  /** A terminal memory figure beside the bare Spring Boot app's, against the 256 MB target. */
  private static Row terminalMemory(String when, double mb, BareWebAppReference.Started bare) {
    return new Row(
        "terminal resident memory " + when,
        "MB",
        mb,
        bare.residentMb(),
        256,
        false,
        "raw: the bare Spring Boot web app at rest");
  }

  private static double rssMb(long pid) {
    return BareWebAppReference.residentMb(pid);
  }

  private static String machine() {
    return Runtime.getRuntime().availableProcessors()
        + " cores, "
        + (Runtime.getRuntime().maxMemory() / (1 << 20))
        + " MB max heap (bench JVM), "
        + System.getProperty("os.name")
        + " "
        + System.getProperty("os.arch")
        + ", Java "
        + System.getProperty("java.version");
  }
}
