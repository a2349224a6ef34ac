package dev.outpost.central.enrollment;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.broker.security.PrivateFiles;
import dev.outpost.central.config.CentralProperties;
import dev.outpost.contracts.Contracts;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * LOCAL SANDBOX ONLY: enrolls the sandbox terminals ({@code OUTPOST_SANDBOX_TERMINALS}, default
 * demo-till-1) at start-up when they have no enrollment file under {@code <data-dir>/enrollments/},
 * so {@code ./outpost central} then {@code ./outpost edge} work with no flags. The production guard
 * refuses this setting outside the sandbox.
 */
@Component
@Order(10)
public class SandboxEnrollment implements ApplicationRunner {
  private static final Logger LOG = LoggerFactory.getLogger(SandboxEnrollment.class);
  private final EnrollmentService service;
  private final EnrollmentRepository enrollments;
  private final CentralProperties props;

  public SandboxEnrollment(
      EnrollmentService service, EnrollmentRepository enrollments, CentralProperties props) {
    this.service = service;
    this.enrollments = enrollments;
    this.props = props;
  }

  @Override
  public void run(ApplicationArguments args) throws Exception {
    Path dir = props.dataDir().resolve("enrollments");
    for (String id : props.enrollment().sandboxTerminals()) {
      String terminal = id.trim();
      if (terminal.isEmpty()) {
        continue;
      }
      Path file = dir.resolve(terminal + ".json");
      boolean active = enrollments.find(terminal).map(e -> !e.revoked()).orElse(false);
      if (Files.exists(file) && active) {
        continue;
      }
      ObjectNode doc = service.enroll(terminal, null, "sandbox");
      PrivateFiles.write(
          file, Contracts.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(doc));
      LOG.info(
          "Sandbox terminal {} enrolled; its enrollment file (sandbox credential) is {}",
          terminal,
          file);
    }
  }
}
