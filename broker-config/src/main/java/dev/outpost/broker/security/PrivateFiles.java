package dev.outpost.broker.security;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Secrets on disk (keys, key store passwords, enrollment files): a temporary file created with its
 * final mode in the target's directory, written, then moved over the target — so a secret is
 * owner-only from its first byte (never chmod-ed after writing) and a reader sees the old file or
 * the new one, never half of one.
 */
public final class PrivateFiles {
  private static final Logger LOG = LoggerFactory.getLogger(PrivateFiles.class);

  private PrivateFiles() {}

  /** Writes a file only its owner may read ({@code rw-------}). */
  public static void write(Path target, byte[] content) throws IOException {
    write(target, content, "rw-------");
  }

  /** Writes a file with the given POSIX mode (e.g. {@code rw-r--r--} for a public certificate). */
  public static void write(Path target, byte[] content, String permissions) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp;
    if (Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class)) {
      var perms = PosixFilePermissions.fromString(permissions);
      FileAttribute<?> attr = PosixFilePermissions.asFileAttribute(perms);
      tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp", attr);
      // The umask may have narrowed the mode (never widened it): set it exactly, before writing.
      Files.setPosixFilePermissions(tmp, perms);
    } else {
      // No POSIX modes (e.g. Windows): the directory's inherited ACL is all there is.
      LOG.warn(
          "{} has no POSIX permissions; {} is protected only by its directory",
          dir,
          target.getFileName());
      tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
    }
    try {
      Files.write(tmp, content);
      try {
        Files.move(
            tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
