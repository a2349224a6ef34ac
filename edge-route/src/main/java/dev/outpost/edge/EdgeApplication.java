package dev.outpost.edge;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** One terminal: takes operations over HTTP, keeps them in Derby and forwards them to central. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class EdgeApplication {
  public static void main(String[] args) {
    SpringApplication.run(EdgeApplication.class, args);
  }
}
