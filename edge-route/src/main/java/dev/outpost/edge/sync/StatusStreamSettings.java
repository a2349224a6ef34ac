package dev.outpost.edge.sync;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code outpost.operator.*}: the operator page's status stream ({@code GET
 * /api/v1/sync/status/stream}). {@code streamsMax} streams may be open at once (each holds one of
 * the HTTP worker threads for its life); one more is answered 503 with Retry-After. {@code
 * streamHeartbeat}: a comment line this often while nothing changed, so proxies and the browser see
 * the stream alive.
 */
@ConfigurationProperties("outpost.operator")
public record StatusStreamSettings(
    @DefaultValue("16") int streamsMax, @DefaultValue("15s") Duration streamHeartbeat) {

  public StatusStreamSettings {
    if (streamsMax < 0) {
      throw new IllegalStateException(
          "outpost.operator.streams-max (OUTPOST_OPERATOR_STREAMS_MAX) must be 0 or more; got "
              + streamsMax);
    }
    if (streamHeartbeat == null || streamHeartbeat.isNegative() || streamHeartbeat.isZero()) {
      throw new IllegalStateException(
          "outpost.operator.stream-heartbeat (OUTPOST_OPERATOR_STREAM_HEARTBEAT) must be positive;"
              + " got "
              + streamHeartbeat);
    }
  }
}
