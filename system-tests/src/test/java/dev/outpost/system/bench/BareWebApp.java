package dev.outpost.system.bench;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The footprint yardstick of the benchmark: a bare Spring Boot web app (spring-boot-starter-web and
 * one controller). Started as its own JVM by {@link BareWebAppReference}; it must refer to nothing
 * but Spring, its classpath holds only the starter's jars and this class.
 */
@SpringBootApplication
@RestController
public class BareWebApp {
  public static void main(String[] args) {
    SpringApplication.run(BareWebApp.class, args);
  }

  @GetMapping("/ready")
  public String ready() {
    return "ready";
  }
}
