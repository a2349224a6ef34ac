package dev.outpost.system.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What a terminal's data dir holds on disk, by part: Derby (the ledger and master data), the
 * broker's journal, its paging directory, the rest. Files appear and vanish while the terminal
 * runs, so a file gone between listing and sizing counts as empty.
 */
public final class DiskUse {
  private DiskUse() {}

  /** Bytes per part ("derby", "journal", "paging", "other") and "total". */
  public static Map<String, Long> of(Path dataDir) {
    for (int attempt = 1; ; attempt++) {
      try {
        return once(dataDir);
      } catch (IllegalStateException e) {
        if (attempt == 5) {
          throw e;
        }
      }
    }
  }

  private static Map<String, Long> once(Path dataDir) {
    Map<String, Long> parts = new TreeMap<>();
    for (String p : new String[] {"derby", "journal", "paging", "other", "total"}) {
      parts.put(p, 0L);
    }
    try (Stream<Path> files = Files.walk(dataDir)) {
      files.forEach(
          f -> {
            long size = size(f);
            parts.merge(part(dataDir.relativize(f)), size, Long::sum);
            parts.merge("total", size, Long::sum);
          });
    } catch (IOException | UncheckedIOException e) {
      throw new IllegalStateException("cannot size " + dataDir, e);
    }
    return parts;
  }

  /** Page files in the broker's paging directory right now. */
  public static long pageFiles(Path dataDir) {
    Path paging = dataDir.resolve("broker").resolve("paging");
    if (!Files.isDirectory(paging)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(paging)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".page")).count();
    } catch (IOException | UncheckedIOException e) {
      return 0; // a page file deleted while walking: try again on the next poll
    }
  }

  private static String part(Path relative) {
    String first = relative.getNameCount() > 0 ? relative.getName(0).toString() : "";
    String second = relative.getNameCount() > 1 ? relative.getName(1).toString() : "";
    if (first.equals("derby")) {
      return "derby";
    }
    if (first.equals("broker") && second.equals("paging")) {
      return "paging";
    }
    if (first.equals("broker") && second.equals("journal")) {
      return "journal";
    }
    return "other";
  }

  private static long size(Path f) {
    try {
      return Files.isRegularFile(f) ? Files.size(f) : 0;
    } catch (NoSuchFileException e) {
      return 0;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
