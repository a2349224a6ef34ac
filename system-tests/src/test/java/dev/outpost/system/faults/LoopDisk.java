package dev.outpost.system.faults;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small real filesystem of its own for one terminal's data dir: an ext4 image file, loop-mounted.
 * Filling it with a ballast file is a disk that fills up; deleting the ballast gives the space
 * back. Needs root (mount); {@link #mount} says why not when it cannot, and the caller decides to
 * skip or, with {@code CI=true}, to fail.
 */
public final class LoopDisk implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LoopDisk.class);

  private final Path image;
  private final Path mountPoint;
  private final Path ballast;
  private boolean mounted;

  private LoopDisk(Path image, Path mountPoint) {
    this.image = image;
    this.mountPoint = mountPoint;
    this.ballast = mountPoint.resolve("ballast.bin");
  }

  /** Result of trying: the disk, or why there is none. */
  public record Mounted(LoopDisk disk, String whyNot) {}

  /** Makes and mounts an ext4 filesystem of {@code megabytes} in an image under {@code dir}. */
  public static Mounted mount(Path dir, int megabytes) {
    try {
      Files.createDirectories(dir);
      LoopDisk d = new LoopDisk(dir.resolve("disk.img"), dir.resolve("mnt"));
      Files.createDirectories(d.mountPoint);
      try (RandomAccessFile f = new RandomAccessFile(d.image.toFile(), "rw")) {
        f.setLength(megabytes * 1024L * 1024L);
      }
      String err = run("mkfs.ext4", "-q", "-F", "-m", "0", d.image.toString());
      if (err != null) {
        return new Mounted(null, "mkfs.ext4 failed: " + err);
      }
      err = privileged("mount", "-o", "loop", d.image.toString(), d.mountPoint.toString());
      if (err != null) {
        return new Mounted(
            null, "mount -o loop failed (needs root or sudo, and a loop device): " + err);
      }
      if (!ROOT) {
        // Mounted by sudo: the filesystem's root belongs to root; the terminal runs as this user.
        err = privileged("chown", uid() + ":" + gid(), d.mountPoint.toString());
        if (err != null) {
          privileged("umount", d.mountPoint.toString());
          return new Mounted(null, "chown of the loop disk failed: " + err);
        }
      }
      d.mounted = true;
      Runtime.getRuntime().addShutdownHook(new Thread(d::close, "loop-disk-unmount"));
      LOG.info("loop disk of {} MB mounted at {}", megabytes, d.mountPoint);
      return new Mounted(d, null);
    } catch (IOException e) {
      return new Mounted(null, e.toString());
    }
  }

  public Path root() {
    return mountPoint;
  }

  public long usableBytes() {
    try {
      return Files.getFileStore(mountPoint).getUsableSpace();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Fills the disk with a ballast file until only {@code leaveBytes} are left. */
  public void fillLeaving(long leaveBytes) {
    long size = usableBytes() - leaveBytes;
    if (size <= 0) {
      return;
    }
    String err = run("fallocate", "-l", String.valueOf(size), ballast.toString());
    if (err != null) {
      throw new IllegalStateException("fallocate failed: " + err);
    }
    LOG.info("loop disk filled: {} MB left", usableBytes() / (1024 * 1024));
  }

  /** Deletes the ballast: the space is back. */
  public void release() {
    try {
      Files.deleteIfExists(ballast);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    LOG.info("loop disk freed: {} MB left", usableBytes() / (1024 * 1024));
  }

  @Override
  public synchronized void close() {
    if (!mounted) {
      return;
    }
    if (privileged("umount", mountPoint.toString()) != null) {
      privileged("umount", "-l", mountPoint.toString()); // something still holds it: detach lazily
    }
    mounted = false;
    try {
      Files.deleteIfExists(image);
    } catch (IOException e) {
      LOG.warn("cannot delete {}", image, e);
    }
  }

  private static final boolean ROOT = "0".equals(idOf("-u"));

  private static String uid() {
    return idOf("-u");
  }

  private static String gid() {
    return idOf("-g");
  }

  private static String idOf(String flag) {
    try {
      Process p = new ProcessBuilder("id", flag).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      p.waitFor(10, TimeUnit.SECONDS);
      return out;
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  /** As root directly, else through {@code sudo -n} (never asks for a password). */
  private static String privileged(String... cmd) {
    if (ROOT) {
      return run(cmd);
    }
    List<String> sudo = new ArrayList<>(List.of("sudo", "-n"));
    sudo.addAll(List.of(cmd));
    return run(sudo.toArray(String[]::new));
  }

  /** Runs a command; null when it succeeded, else its output. */
  private static String run(String... cmd) {
    try {
      Process p = new ProcessBuilder(List.of(cmd)).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return String.join(" ", new ArrayList<>(List.of(cmd))) + ": timed out";
      }
      return p.exitValue() == 0 ? null : "exit " + p.exitValue() + ": " + out;
    } catch (IOException e) {
      return e.toString();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return e.toString();
    }
  }
}
