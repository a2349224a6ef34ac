package dev.outpost.edge.sync;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.support.FeaturePort;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Central's clock as this terminal measures it (docs/semantics.md, "Time"): every receipt carries
 * central's {@code processedAt} and every answer of central's HTTP API its {@code Date}. Each
 * sample is kept against the monotonic clock, not the wall clock, so a wall clock that is days off,
 * or that jumps when it is set, does not spoil the estimate. A receipt can only have been stamped
 * before it arrived, so a sample is a lower bound of central's time; the estimate is the highest
 * sample of the last {@link #WINDOW} (the freshest receipts), or the last one when the link has
 * been down for longer. Until a first sample after start the terminal's own clock is all there is.
 */
@FeaturePort
@Component
@Order(40)
public class CentralClock implements SyncStatusContributor {
  private static final Logger LOG = LoggerFactory.getLogger(CentralClock.class);
  static final Duration WINDOW = Duration.ofMinutes(10);

  private final Duration skewAlert;

  /** (central's time − monotonic nanos) per sample, oldest first, within the window. */
  private final Deque<long[]> samples = new ArrayDeque<>();

  private volatile boolean alerting;

  public CentralClock(@Value("${outpost.clock.skew-alert:1m}") Duration skewAlert) {
    this.skewAlert = skewAlert;
  }

  /** Central stamped {@code centralTime} no later than now (a receipt's processedAt). */
  public void stampedBeforeNow(Instant centralTime) {
    add(centralTime, System.nanoTime());
  }

  /**
   * Central's HTTP {@code Date} (whole seconds) of an answer to a request sent at {@code sentNanos}
   * (monotonic) and received now; a slow answer says little and is not used.
   */
  public void answeredWithDate(Instant date, long sentNanos) {
    long now = System.nanoTime();
    if (now - sentNanos > Duration.ofSeconds(2).toNanos()) {
      return;
    }
    // The Date was written between sending and now; its second was cut off.
    add(date.plusMillis(500), sentNanos + (now - sentNanos) / 2);
  }

  private synchronized void add(Instant central, long atNanos) {
    long centralMinusMono = toNanos(central) - atNanos;
    long cutoff = System.nanoTime() - WINDOW.toNanos();
    while (samples.size() > 1 && samples.peekFirst()[1] < cutoff) {
      samples.pollFirst();
    }
    samples.addLast(new long[] {centralMinusMono, atNanos});
    while (samples.size() > 256) {
      samples.pollFirst();
    }
    Duration offset = offset().orElse(Duration.ZERO);
    boolean skewed = offset.abs().compareTo(skewAlert) > 0;
    if (skewed != alerting) {
      alerting = skewed;
      if (skewed) {
        LOG.warn(
            "This terminal's clock is {} {} central's (more than {}); POS times are checked against"
                + " central's clock",
            offset.abs(),
            offset.isNegative() ? "ahead of" : "behind",
            skewAlert);
      } else {
        LOG.info("This terminal's clock agrees with central's again (offset {})", offset);
      }
    }
  }

  /** Central's time now, as measured; empty before the first sample since start. */
  public synchronized Optional<Instant> centralNow() {
    if (samples.isEmpty()) {
      return Optional.empty();
    }
    long now = System.nanoTime();
    long cutoff = now - WINDOW.toNanos();
    long best = Long.MIN_VALUE;
    for (long[] s : samples) {
      if (s[1] >= cutoff) {
        best = Math.max(best, s[0]);
      }
    }
    if (best == Long.MIN_VALUE) {
      best = samples.peekLast()[0];
    }
    return Optional.of(fromNanos(best + now));
  }

  /** Central's clock minus this terminal's (positive: this terminal is behind). */
  public Optional<Duration> offset() {
    Instant local = Instant.now();
    return centralNow().map(c -> Duration.between(local, c));
  }

  /** The instant to judge a POS time by: central's clock when measured, else this terminal's. */
  public Instant now() {
    return centralNow().orElseGet(Instant::now);
  }

  /**
   * Adds the "clock" block and the CLOCK_SKEW alert to the sync status: only the offset, in whole
   * seconds, so the document stays the same from one second to the next (the status stream sends it
   * when it changes).
   */
  @Override
  public void contribute(ObjectNode status, ArrayNode alerts, Instant now) {
    ObjectNode clock = status.putObject("clock");
    Optional<Instant> central = centralNow();
    if (central.isPresent()) {
      Duration offset = Duration.between(now, central.get());
      clock.put("offsetSeconds", Math.round(offset.toMillis() / 1000.0));
      if (offset.abs().compareTo(skewAlert) > 0) {
        alerts.add("CLOCK_SKEW");
      }
    } else {
      clock.putNull("offsetSeconds");
    }
  }

  private static long toNanos(Instant i) {
    return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000_000L), i.getNano());
  }

  private static Instant fromNanos(long n) {
    return Instant.ofEpochSecond(
        Math.floorDiv(n, 1_000_000_000L), Math.floorMod(n, 1_000_000_000L));
  }
}
