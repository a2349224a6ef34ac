package dev.outpost.central.imports;

import dev.outpost.central.config.CentralErrorPolicy;
import dev.outpost.central.ingest.TransientFailures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * The watched drop folder: a day file put into {@code outpost.imports.inbox} is imported as if
 * uploaded (actor "drop-folder"), then moved to {@code done/}, or to {@code failed/} beside a
 * {@code .reason.txt} saying why it was refused. A file is picked up only once it stopped growing
 * (a USB copy in progress is not read half-written). A transient failure leaves the file in the
 * inbox for the next poll.
 */
@Component
public class DropFolderRoute extends RouteBuilder {
  static final String URI =
      "file:{{outpost.imports.inbox}}?include=.*\\.json&readLock=changed&readLockMinAge=1000"
          + "&readLockCheckInterval=500&delay=2000&noop=true&idempotent=false&autoCreate=true";
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

  private final DayFileImporter importer;
  private final ImportSettings settings;

  public DropFolderRoute(DayFileImporter importer, ImportSettings settings) {
    this.importer = importer;
    this.settings = settings;
  }

  @Override
  public void configure() {
    from(URI)
        .routeId("central-import-drop-folder")
        .routeConfigurationId(CentralErrorPolicy.ID)
        .process(this::importFile)
        .id("import-day-file-then-move-it");
  }

  private void importFile(Exchange exchange) throws IOException {
    Path file = Path.of(exchange.getMessage().getHeader(Exchange.FILE_PATH, String.class));
    String name = file.getFileName().toString();
    byte[] content = Files.readAllBytes(file);
    String target = LocalDateTime.now().format(STAMP) + "-" + name;
    try {
      importer.submit(content, name, "folder", "drop-folder", true);
      moveTo(file, settings.done(), target);
    } catch (DayFileImporter.Refused e) {
      fail(file, target, "import " + e.importId() + " refused: " + e.getMessage());
    } catch (RuntimeException e) {
      if (TransientFailures.isTransient(e)) {
        throw e; // PostgreSQL away: the file stays in the inbox and is tried again
      }
      fail(file, target, "import failed: " + e.getMessage());
    }
  }

  private void fail(Path file, String target, String why) throws IOException {
    Files.createDirectories(settings.failed());
    Files.writeString(
        settings.failed().resolve(target + ".reason.txt"), why + "\n", StandardCharsets.UTF_8);
    moveTo(file, settings.failed(), target);
  }

  private static void moveTo(Path file, Path dir, String name) throws IOException {
    Files.createDirectories(dir);
    Files.move(file, dir.resolve(name));
  }
}
