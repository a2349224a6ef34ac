package dev.outpost.edge.export;

import dev.outpost.broker.security.PrivateFiles;
import dev.outpost.contracts.DayFiles;
import dev.outpost.edge.config.EdgeProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import org.springframework.stereotype.Component;

/**
 * The terminal's signing key (Ed25519), made on first start under {@code <data-dir>/keys/} and kept
 * across restarts. The private key never leaves the terminal; the public key is shown at {@code GET
 * /api/v1/terminal/key} and in every day file so ops can register it at central.
 */
@Component
public class TerminalKeys {
  static final String PRIVATE_FILE = "terminal-ed25519.key";
  static final String PUBLIC_FILE = "terminal-ed25519.pub";

  private final PrivateKey privateKey;
  private final String publicKeyBase64;

  public TerminalKeys(EdgeProperties props) {
    Path dir = props.dataDir().resolve("keys");
    try {
      Files.createDirectories(dir);
      Path priv = dir.resolve(PRIVATE_FILE);
      Path pub = dir.resolve(PUBLIC_FILE);
      if (!Files.exists(priv)) {
        KeyPair pair = KeyPairGenerator.getInstance(DayFiles.KEY_ALGORITHM).generateKeyPair();
        writeAtomically(pub, DayFiles.encode(pair.getPublic()), false);
        // Private key last: its presence means the pair is complete.
        writeAtomically(
            priv, Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()), true);
      }
      this.privateKey =
          KeyFactory.getInstance(DayFiles.KEY_ALGORITHM)
              .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(read(priv))));
      PublicKey publicKey = DayFiles.publicKey(read(pub));
      this.publicKeyBase64 = DayFiles.encode(publicKey);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the terminal key under " + dir, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the terminal key under " + dir + " is unreadable", e);
    }
  }

  public PrivateKey privateKey() {
    return privateKey;
  }

  /** X.509 SubjectPublicKeyInfo, base64. */
  public String publicKeyBase64() {
    return publicKeyBase64;
  }

  public String fingerprint() {
    return DayFiles.fingerprint(publicKeyBase64);
  }

  private static String read(Path p) throws IOException {
    return Files.readString(p, StandardCharsets.US_ASCII).trim();
  }

  private static void writeAtomically(Path target, String content, boolean secret)
      throws IOException {
    byte[] bytes = (content + "\n").getBytes(StandardCharsets.US_ASCII);
    if (secret) {
      // Owner-only from the first byte, not chmod-ed after writing.
      PrivateFiles.write(target, bytes);
      return;
    }
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    Files.write(tmp, bytes);
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
  }
}
