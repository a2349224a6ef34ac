package dev.outpost.system.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the tests keep process logs and data dirs: under the module's target/, wiped by clean. */
public final class TestPaths {
  private TestPaths() {}

  public static Path target() {
    return Path.of(System.getProperty("basedir", "system-tests"))
        .toAbsolutePath()
        .resolve("target");
  }

  public static Path logs() {
    return mkdirs(target().resolve("process-logs"));
  }

  /** A fresh, empty data dir for one process of one test. */
  public static Path freshDataDir(String name) {
    try {
      return Files.createTempDirectory(mkdirs(target().resolve("it-data")), name + "-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Path jar(String property) {
    String value = System.getProperty(property);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException(
          "system property "
              + property
              + " is not set (run through maven-failsafe: ./mvnw verify)");
    }
    Path jar = Path.of(value).toAbsolutePath().normalize();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("application jar not built: " + jar);
    }
    return jar;
  }

  private static Path mkdirs(Path p) {
    try {
      return Files.createDirectories(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
