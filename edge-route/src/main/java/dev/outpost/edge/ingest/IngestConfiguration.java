package dev.outpost.edge.ingest;

import dev.outpost.contracts.OperationValidator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class IngestConfiguration {
  /** Thread-safe; compiled schemas are cached inside. */
  @Bean
  OperationValidator operationValidator() {
    return new OperationValidator();
  }
}
