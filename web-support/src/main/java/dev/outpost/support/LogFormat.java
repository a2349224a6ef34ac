package dev.outpost.support;

import java.util.Locale;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * {@code OUTPOST_LOG_FORMAT}: {@code plain} (default, for people) or {@code json} (one ECS JSON
 * document per line, for log shippers). Runs before logging is set up, so the choice applies from
 * the first line.
 */
public class LogFormat implements EnvironmentPostProcessor {
  @Override
  public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication app) {
    String format =
        env.getProperty("outpost.log-format", env.getProperty("OUTPOST_LOG_FORMAT", "plain"));
    switch (format.trim().toLowerCase(Locale.ROOT)) {
      case "json", "ecs" ->
          env.getPropertySources()
              .addFirst(
                  new MapPropertySource(
                      "outpost-log-format", Map.of("logging.structured.format.console", "ecs")));
      case "plain", "" -> {}
      default ->
          throw new IllegalStateException(
              "OUTPOST_LOG_FORMAT must be plain or json, got: " + format);
    }
  }
}
