package dev.outpost.console;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Hawtio for integrators: Camel routes, queues and MBeans of central and the terminals. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ConsoleApplication {
  public static void main(String[] args) {
    SpringApplication.run(ConsoleApplication.class, args);
  }
}
