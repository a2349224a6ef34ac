package dev.outpost.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outpost.contracts.Contracts;
import dev.outpost.system.harness.Acks;
import dev.outpost.system.harness.Central;
import dev.outpost.system.harness.Db;
import dev.outpost.system.harness.DeliveryCheck;
import dev.outpost.system.harness.Edge;
import dev.outpost.system.harness.Ops;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A terminal hammered by concurrent POS clients while it starts, while it runs, and while it
 * restarts. Whatever the moment, a request gets a real HTTP answer that means what it says: 202
 * (recorded), or 503 with Retry-After while starting (not recorded), or the port is closed. Never
 * Spring's 404 page, never a 500, never a connection closed without an answer (once Tomcat's
 * response headers were written by two threads at once and the socket died), and no operation
 * answered with anything but 202 ever reaches central.
 */
class StartupHammerIT {
  private static final String TERMINAL = "hammer-till-1";
  private static final int CLIENTS = 8;

  private static Central central;
  private static Edge edge;

  private final Acks acks = new Acks();
  private final Set<String> refused = ConcurrentHashMap.newKeySet();
  private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
  private volatile String phase = "starting";
  private volatile boolean running = true;

  @BeforeAll
  static void start() {
    central = Central.withEmbeddedDb("StartupHammerIT-central").start();
    edge = Edge.create("StartupHammerIT-edge", TERMINAL, central);
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
  void everyAnswerDuringStartSteadyStateAndRestartIsMeaningful() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
    for (int i = 0; i < CLIENTS; i++) {
      pool.submit(this::hammer);
    }
    edge.process().start();
    phase = "running";
    awaitAccepted(2_000);

    phase = "stopping";
    edge.process().stop();
    phase = "starting again";
    edge.process().start();
    phase = "running again";
    awaitAccepted(acks.size() + 2_000);

    running = false;
    pool.shutdown();
    assertThat(pool.awaitTermination(1, TimeUnit.MINUTES)).isTrue();
    System.out.println("StartupHammerIT outcomes: " + outcomes);

    assertThat(failures).as("answers that mean nothing or the wrong thing").isEmpty();
    assertThat(outcomes).containsKey("running: 202").containsKey("running again: 202");
    DeliveryCheck check =
        await()
            .atMost(Duration.ofMinutes(2))
            .pollInterval(Duration.ofSeconds(1))
            .until(() -> DeliveryCheck.of(central.db(), TERMINAL, acks), DeliveryCheck::allArrived);
    check.assertClean();
    Set<String> arrivedAfterRefusal = new HashSet<>(refused);
    arrivedAfterRefusal.retainAll(
        central.db().arrivals(TERMINAL).stream().map(Db.Arrival::operationId).toList());
    assertThat(arrivedAfterRefusal).as("answered non-2xx, applied at central anyway").isEmpty();
  }

  private void awaitAccepted(int count) {
    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> acks.size() >= count || !failures.isEmpty());
  }

  private void hammer() {
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    URI uri = URI.create(edge.baseUrl() + "/api/v1/operations");
    while (running) {
      String at = phase;
      UUID id = Ops.newId();
      acks.sent(id.toString());
      HttpRequest request =
          HttpRequest.newBuilder(uri)
              .timeout(Duration.ofSeconds(30))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(Ops.json(Ops.sale(id, 1))))
              .build();
      try {
        HttpResponse<String> res = http.send(request, HttpResponse.BodyHandlers.ofString());
        int status = res.statusCode();
        count(at + ": " + status);
        if (status == 202) {
          acks.acknowledged(Contracts.mapper().readTree(res.body()));
        } else {
          refused.add(id.toString());
          boolean starting = status == 503 && res.headers().firstValue("Retry-After").isPresent();
          if (!starting) {
            failures.add(at + ": " + status + " " + res.body());
          }
          pause();
        }
      } catch (ConnectException | HttpConnectTimeoutException e) {
        // The port is closed (not started yet, or stopped): the POS knows nothing was sent.
        refused.add(id.toString());
        count(at + ": port closed");
        pause();
      } catch (IOException e) {
        // Not "refused": without an answer nobody knows whether it was recorded.
        count(at + ": no answer");
        // While the process stops, open connections are cut: expected. At any other time a
        // request without an answer leaves the POS not knowing whether the sale was recorded.
        if (!at.equals("stopping") && !phase.equals("stopping")) {
          failures.add(at + ": connection closed without an answer: " + e);
        }
        pause();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void count(String outcome) {
    outcomes.computeIfAbsent(outcome, k -> new AtomicInteger()).incrementAndGet();
  }

  private static void pause() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
