package dev.outpost.edge.sync;

import org.springframework.boot.task.ThreadPoolTaskExecutorCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Room for the status streams in Spring's task executor, which Camel's platform-http runs every
 * HTTP request's route on: each open stream holds one of its threads (see {@link
 * SyncStatusStream}), so the pool gets {@code streamsMax} threads more than the API alone needs,
 * and streams can never take the threads the till's own requests run on. Idle threads still time
 * out (Spring Boot's default), so a terminal nobody watches pays nothing.
 */
@Configuration(proxyBeanMethods = false)
public class StatusStreamConfiguration {

  @Bean
  ThreadPoolTaskExecutorCustomizer roomForStatusStreams(StatusStreamSettings settings) {
    return executor -> executor.setCorePoolSize(executor.getCorePoolSize() + settings.streamsMax());
  }
}
