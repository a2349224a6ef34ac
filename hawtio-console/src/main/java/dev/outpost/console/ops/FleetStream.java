package dev.outpost.console.ops;

import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The fleet page's live feed (server-sent events): while a page is open, the console reads
 * central's {@code GET /api/v1/terminals} as that person every {@code fleet-refresh} and sends the
 * fleet only when it changed (event {@code fleet}), or a problem (event {@code failure}) while
 * central does not answer. Central has no change feed of its own yet; this keeps the browser from
 * polling and sends nothing while nothing changes.
 */
@RestController
public class FleetStream {
  /** One slow answer must not hold every open page's feed (they share one thread). */
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final CentralClient central;
  private final Duration every;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "ops-fleet-stream");
            t.setDaemon(true);
            return t;
          });

  public FleetStream(CentralClient central, OpsSettings settings) {
    this.central = central;
    this.every = settings.fleetRefresh();
  }

  @GetMapping(path = "/ops/fleet/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  public SseEmitter stream(Authentication person) {
    SseEmitter emitter = new SseEmitter(Duration.ofHours(1).toMillis());
    AtomicReference<String> last = new AtomicReference<>();
    AtomicReference<ScheduledFuture<?>> task = new AtomicReference<>();
    Runnable tick =
        () -> {
          HttpRequest.Builder request = central.request("terminals", person);
          if (request == null) {
            emitter.complete();
            return;
          }
          String name;
          String data;
          try {
            HttpResponse<String> answer =
                central.sendForText(request.timeout(TIMEOUT).GET().build());
            name = answer.statusCode() == 200 ? "fleet" : "failure";
            data = answer.body();
          } catch (IOException e) {
            name = "failure";
            data =
                "{\"title\":\"Central unreachable\",\"detail\":\"central's admin API at "
                    + central.base()
                    + " did not answer\"}";
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
          if (data.equals(last.getAndSet(data))) {
            return;
          }
          try {
            emitter.send(SseEmitter.event().name(name).data(data));
          } catch (IOException | IllegalStateException gone) {
            // The page went away: stop reading for it.
            task.get().cancel(false);
          }
        };
    task.set(timer.scheduleWithFixedDelay(tick, 0, every.toMillis(), TimeUnit.MILLISECONDS));
    Runnable stop = () -> task.get().cancel(false);
    emitter.onCompletion(stop);
    emitter.onTimeout(stop);
    emitter.onError(e -> stop.run());
    return emitter;
  }

  @PreDestroy
  void stop() {
    timer.shutdownNow();
  }
}
