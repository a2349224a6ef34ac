package dev.outpost.edge.ingest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.edge.config.EdgeProperties;
import dev.outpost.edge.http.ProblemException;
import dev.outpost.edge.sync.SyncStatusContributor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;

/**
 * The terminal's disk, checked before an operation is recorded. Artemis blocks a producer (it does
 * not fail it) when its disk limit is reached, so waiting for the broker would hang the till: below
 * {@code min-free} the edge answers 507 and records nothing, and below {@code warn-free} the sync
 * status raises DISK_LOW while there is still room, so an operator hears it first.
 */
@Component
@Order(10)
public class DiskGuard implements SyncStatusContributor {
  public static final String ALERT_LOW = "DISK_LOW";
  private final FileStore store;
  private final long minFree;
  private final long warnFree;

  @Autowired
  public DiskGuard(
      EdgeProperties props,
      @Value("${outpost.disk.min-free:64MB}") DataSize minFree,
      @Value("${outpost.disk.warn-free:512MB}") DataSize warnFree) {
    this(props.dataDir(), minFree.toBytes(), warnFree.toBytes());
  }

  DiskGuard(Path dataDir, long minFree, long warnFree) {
    try {
      Files.createDirectories(dataDir);
      this.store = Files.getFileStore(dataDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the disk of " + dataDir, e);
    }
    this.minFree = minFree;
    this.warnFree = warnFree;
  }

  public long freeBytes() {
    try {
      return store.getUsableSpace();
    } catch (IOException e) {
      return 0; // unreadable counts as full: refuse rather than risk a write that cannot land
    }
  }

  /** True while free space is below the warning level (sync status alert DISK_LOW). */
  public boolean low() {
    return freeBytes() < warnFree;
  }

  /** Sync status: {@code diskFreeBytes}, and the alert DISK_LOW below the warning level. */
  @Override
  public void contribute(ObjectNode status, ArrayNode alerts, Instant now) {
    status.put("diskFreeBytes", freeBytes());
    if (low()) {
      alerts.add(ALERT_LOW);
    }
  }

  /** Refuses (507, nothing recorded) when the disk is nearly full. */
  public void requireSpace() {
    long free = freeBytes();
    if (free < minFree) {
      throw new ProblemException(
          507,
          "insufficient-storage",
          "Terminal disk full",
          "only "
              + free / (1024 * 1024)
              + " MB free on the terminal's disk (needs "
              + minFree / (1024 * 1024)
              + " MB); the operation was not recorded — free space or hand in a day file, then retry");
    }
  }
}
