package dev.outpost.central;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Central side of Outpost: applies every terminal's operations to PostgreSQL exactly once. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class CentralApplication {
  public static void main(String[] args) {
    SpringApplication.run(CentralApplication.class, args);
  }
}
