package dev.outpost.edge.enrollment;

import dev.outpost.broker.security.PrivateFiles;
import dev.outpost.contracts.EnrollmentFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Starts a terminal from its enrollment file. {@code OUTPOST_ENROLLMENT_FILE} (the launcher's
 * {@code --enrollment}) is copied into the data dir as {@code enrollment.json}, owner-only, with
 * the CA certificate beside it as {@code enrollment-ca.pem}; later starts read that copy. The
 * file's values become defaults behind the environment: {@code OUTPOST_CENTRAL_URL} and the others
 * set explicitly still win (a test's link proxy, a moved central).
 */
public class EnrollmentEnvironment implements EnvironmentPostProcessor {
  public static final String FILE_ENV = "OUTPOST_ENROLLMENT_FILE";
  public static final String COPY = "enrollment.json";
  public static final String CA_COPY = "enrollment-ca.pem";

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication app) {
    String given = env.getProperty(FILE_ENV, env.getProperty("outpost.enrollment.file", ""));
    try {
      EnrollmentFile enrollment;
      Path dataDir;
      if (!given.isBlank()) {
        Path source = Path.of(given);
        enrollment = EnrollmentFile.read(source);
        String explicitId = env.getProperty("OUTPOST_TERMINAL_ID");
        if (explicitId != null
            && !explicitId.isBlank()
            && !explicitId.equals(enrollment.terminalId())) {
          throw new IllegalStateException(
              "OUTPOST_TERMINAL_ID is "
                  + explicitId
                  + " but the enrollment file "
                  + source
                  + " is for "
                  + enrollment.terminalId());
        }
        dataDir = dataDir(env, enrollment.terminalId());
        PrivateFiles.write(dataDir.resolve(COPY), Files.readAllBytes(source));
      } else {
        dataDir = dataDir(env, null);
        Path copy = dataDir.resolve(COPY);
        if (!Files.exists(copy)) {
          return; // not enrolled: the terminal records offline, central will refuse its link
        }
        enrollment = EnrollmentFile.read(copy);
      }
      Path ca = dataDir.resolve(CA_COPY);
      Files.writeString(ca, enrollment.caCertificate(), StandardCharsets.US_ASCII);
      Map<String, Object> values = new HashMap<>();
      values.put("OUTPOST_TERMINAL_ID", enrollment.terminalId());
      values.put("OUTPOST_CENTRAL_URL", enrollment.brokerUrl());
      values.put("OUTPOST_CENTRAL_USER", enrollment.brokerUser());
      values.put("OUTPOST_CENTRAL_PASSWORD", enrollment.brokerPassword());
      values.put("OUTPOST_CENTRAL_CA", ca.toAbsolutePath().toString());
      values.put("OUTPOST_CENTRAL_HTTP_URL", enrollment.centralHttpUrl());
      values.put("OUTPOST_CENTRAL_HTTP_USER", enrollment.httpUser());
      values.put("OUTPOST_CENTRAL_HTTP_PASSWORD", enrollment.httpPassword());
      values.put("OUTPOST_DATA_DIR", dataDir.toString());
      MapPropertySource source = new MapPropertySource("enrollment", values);
      if (env.getPropertySources()
          .contains(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME)) {
        env.getPropertySources()
            .addAfter(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, source);
      } else {
        env.getPropertySources().addLast(source);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the terminal's enrollment: " + e.getMessage(), e);
    }
  }

  /** The data dir as application.yml would make it, for the enrolled terminal id. */
  private static Path dataDir(ConfigurableEnvironment env, String terminalId) {
    String dir = env.getProperty("OUTPOST_DATA_DIR");
    if (dir == null || dir.isBlank()) {
      String id =
          terminalId != null ? terminalId : env.getProperty("OUTPOST_TERMINAL_ID", "demo-till-1");
      dir = "./data/edge-" + id;
    }
    return Path.of(dir).toAbsolutePath().normalize();
  }
}
