package dev.outpost.centralbroker;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/** Central's Artemis broker as its own process: {@code ./outpost broker}, or a Kubernetes pod. */
@SpringBootApplication
@EnableConfigurationProperties(BrokerSettings.class)
public class CentralBrokerApplication {
  public static void main(String[] args) {
    SpringApplication.run(CentralBrokerApplication.class, args);
  }
}
