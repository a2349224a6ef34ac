package dev.outpost.system.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.contracts.Contracts;
import dev.outpost.contracts.Fixtures;
import dev.outpost.system.harness.Ops;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The POS apps of one terminal: a few threads, each its own till with its own HTTP connection,
 * posting a mix of sales (critical lane), stock adjustments (normal) and record changes (bulk)
 * through the edge's API, every attempt logged. Like a real till, it repeats an operation with the
 * same operationId and body while the answer is unclear or says "try again" (no answer, 503, 429, a
 * 5xx), and gives up on it after a final refusal (4xx, 507 disk full).
 */
public final class PosDriver implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PosDriver.class);
  private static final BigDecimal BEER = new BigDecimal("3.50");
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private final AttemptLog log;
  private final String terminalId;
  private final String baseUrl;
  private final int threads;
  private final Duration pace;
  private final List<Thread> running = new ArrayList<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong accepted = new AtomicLong();
  private volatile boolean stopping;
  private volatile Instant giveUpAt = Instant.MAX;

  public PosDriver(AttemptLog log, String terminalId, String baseUrl, int threads, Duration pace) {
    this.log = log;
    this.terminalId = terminalId;
    this.baseUrl = baseUrl;
    this.threads = threads;
    this.pace = pace;
  }

  public String terminalId() {
    return terminalId;
  }

  /** Requests sent and not answered yet. */
  public int inFlight() {
    return inFlight.get();
  }

  /** 2xx answers so far. */
  public long accepted() {
    return accepted.get();
  }

  public synchronized PosDriver start() {
    if (!running.isEmpty()) {
      throw new IllegalStateException("already running");
    }
    stopping = false;
    giveUpAt = Instant.MAX;
    for (int i = 0; i < threads; i++) {
      long seed = (terminalId.hashCode() * 31L + i) ^ System.nanoTime();
      HttpClient http = newClient();
      Thread t = new Thread(() -> run(http, new Random(seed)), "pos-" + terminalId + "-" + i);
      t.setDaemon(true);
      running.add(t);
      t.start();
    }
    return this;
  }

  /**
   * No new operations; each till finishes the one in hand (repeating it until the answer is clear)
   * for at most {@code finishWithin}, then leaves it unclear.
   */
  public synchronized void stop(Duration finishWithin) {
    giveUpAt = Instant.now().plus(finishWithin);
    stopping = true;
    for (Thread t : running) {
      try {
        t.join(finishWithin.plusSeconds(15).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (t.isAlive()) {
        throw new AssertionError(t.getName() + " did not finish");
      }
    }
    running.clear();
    log.flush();
  }

  @Override
  public void close() {
    if (!running.isEmpty()) {
      stop(Duration.ofSeconds(5));
    }
  }

  private void run(HttpClient http, Random random) {
    while (!stopping) {
      Op op = next(random);
      log.intend(op);
      submit(http, op);
      if (pace.toMillis() > 0) {
        sleep(pace.toMillis());
      }
    }
  }

  /**
   * Records one operation from the caller's thread (as a till would), repeating it until the answer
   * is clear; returns the last attempt.
   */
  public Attempt post(Op op) {
    log.intend(op);
    return submit(newClient(), op);
  }

  private Attempt submit(HttpClient http, Op op) {
    int n = 0;
    while (true) {
      Attempt a = attempt(http, op);
      log.record(a);
      n++;
      if (a.outcome() == Attempt.Outcome.ACCEPTED || isFinal(a)) {
        return a;
      }
      if (stopping && Instant.now().isAfter(giveUpAt)) {
        LOG.info("{}: leaving {} after {} attempts: {}", terminalId, op.operationId(), n, a);
        return a;
      }
      sleep(Math.min(2000, 100L * n));
    }
  }

  /** A refusal a till does not repeat: the cashier sees it and acts. */
  private static boolean isFinal(Attempt a) {
    if (a.outcome() != Attempt.Outcome.REFUSED) {
      return false;
    }
    int s = a.status();
    return s == 507 || (s >= 400 && s < 500 && s != 429 && s != 408);
  }

  private Attempt attempt(HttpClient http, Op op) {
    Instant start = Instant.now();
    long t0 = System.nanoTime();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/operations"))
            .timeout(REQUEST_TIMEOUT)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(op.body()))
            .build();
    inFlight.incrementAndGet();
    try {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      long ms = (System.nanoTime() - t0) / 1_000_000;
      int status = r.statusCode();
      if (status >= 200 && status < 300) {
        JsonNode body = Contracts.mapper().readTree(r.body());
        String id = body.path("operationId").asText();
        if (!op.operationId().equals(id) || !body.path("sequence").canConvertToLong()) {
          return new Attempt(
              op.operationId(),
              terminalId,
              start,
              ms,
              Attempt.Outcome.ACCEPTED,
              status,
              null,
              "2xx without this operationId and a sequence: " + r.body());
        }
        accepted.incrementAndGet();
        return new Attempt(
            op.operationId(),
            terminalId,
            start,
            ms,
            Attempt.Outcome.ACCEPTED,
            status,
            body.path("sequence").asLong(),
            null);
      }
      return new Attempt(
          op.operationId(),
          terminalId,
          start,
          ms,
          Attempt.Outcome.REFUSED,
          status,
          null,
          r.body().length() > 300 ? r.body().substring(0, 300) : r.body());
    } catch (HttpConnectTimeoutException e) {
      return noAnswer(op, start, t0, Attempt.Outcome.NOT_SENT, e);
    } catch (HttpTimeoutException e) {
      return noAnswer(op, start, t0, Attempt.Outcome.UNCLEAR, e);
    } catch (IOException e) {
      boolean refused = false;
      for (Throwable c = e; c != null; c = c.getCause()) {
        refused |= c instanceof ConnectException;
      }
      return noAnswer(
          op, start, t0, refused ? Attempt.Outcome.NOT_SENT : Attempt.Outcome.UNCLEAR, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return noAnswer(op, start, t0, Attempt.Outcome.UNCLEAR, e);
    } finally {
      inFlight.decrementAndGet();
    }
  }

  private Attempt noAnswer(Op op, Instant start, long t0, Attempt.Outcome o, Exception e) {
    return new Attempt(
        op.operationId(),
        terminalId,
        start,
        (System.nanoTime() - t0) / 1_000_000,
        o,
        0,
        null,
        e.toString());
  }

  private Op next(Random random) {
    int r = random.nextInt(10);
    if (r < 7) {
      return sale(1 + random.nextInt(3));
    }
    if (r < 9) {
      int delta = 1 + random.nextInt(5);
      return stock(random.nextBoolean() ? delta : -delta);
    }
    return customer();
  }

  private static String now() {
    return Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
  }

  /** A sale of {@code quantity} beers against the active demo bracelet. */
  public Op sale(int quantity) {
    ObjectNode s = Ops.sale(Ops.newId(), quantity);
    s.put("occurredAt", now());
    BigDecimal total = BEER.multiply(BigDecimal.valueOf(quantity));
    return Op.of(terminalId, s, new Op.SaleEffect(Ops.ACTIVE_BRACELET, total), null);
  }

  /** A stock delta of beer at this terminal's own location. */
  public Op stock(long delta) {
    ObjectNode s = Fixtures.valid("stock.adjusted.json");
    s.put("operationId", Ops.newId().toString());
    s.put("occurredAt", now());
    ObjectNode p = (ObjectNode) s.get("payload");
    p.put("productId", "beer");
    p.put("location", location());
    p.put("delta", delta);
    p.put("reason", "fault matrix");
    return Op.of(terminalId, s, new Op.StockEffect("beer", location(), delta), null);
  }

  public String location() {
    return "fm-" + terminalId;
  }

  /** A new customer record (its own id: no conflict). */
  public Op customer() {
    return record("customer", UUID.randomUUID().toString(), null);
  }

  /**
   * A change of {@code entity}/{@code recordId} edited from no known version; under central's
   * REJECT policy a second one of an existing record is a conflict ({@code expectedDeadLetter}).
   */
  public Op record(String entity, String recordId, String expectedDeadLetter) {
    ObjectNode s = Fixtures.valid("record.upserted.json");
    s.put("operationId", Ops.newId().toString());
    String now = now();
    s.put("occurredAt", now);
    ObjectNode p = (ObjectNode) s.get("payload");
    p.put("entity", entity);
    p.put("id", recordId);
    p.put("updatedAt", now);
    p.remove("baseUpdatedAt");
    ((ObjectNode) p.get("data")).put("name", entity + " " + terminalId);
    return Op.of(
        terminalId,
        s,
        expectedDeadLetter == null ? new Op.RecordEffect(entity, recordId) : null,
        expectedDeadLetter);
  }

  private static HttpClient newClient() {
    return HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(2))
        .version(HttpClient.Version.HTTP_1_1)
        .build();
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms); // a till's own pace and back-off, not a wait for a condition
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
