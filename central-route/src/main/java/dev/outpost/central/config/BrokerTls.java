package dev.outpost.central.config;

import dev.outpost.broker.tls.LocalCertificates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The certificate of the terminal acceptor and the CA terminals trust: the operator's own
 * (OUTPOST_BROKER_KEYSTORE, _PASSWORD, OUTPOST_BROKER_CA) or, by default, a local CA made at first
 * start under {@code <data-dir>/tls} (no private key ever leaves that directory). With an external
 * broker (OUTPOST_BROKER_URL), OUTPOST_BROKER_CA alone names the CA of that broker's certificate,
 * the one enrollment files carry; there is no key store here then.
 */
@Component
public class BrokerTls {
  private final Path keyStore;
  private final String keyStorePassword;
  private final String caPem;

  public BrokerTls(CentralProperties props) {
    CentralProperties.Tls tls = props.broker().tls();
    try {
      if (tls != null && tls.own()) {
        if (tls.caFile() == null || tls.caFile().isBlank()) {
          throw new IllegalStateException(
              "OUTPOST_BROKER_KEYSTORE is set but OUTPOST_BROKER_CA is not: give the PEM of the CA that signed it");
        }
        keyStore = Path.of(tls.keyStore()).toAbsolutePath();
        keyStorePassword = tls.keyStorePassword() == null ? "" : tls.keyStorePassword();
        caPem = Files.readString(Path.of(tls.caFile()), StandardCharsets.US_ASCII);
      } else if (!props.broker().embedded()
          && tls != null
          && tls.caFile() != null
          && !tls.caFile().isBlank()) {
        // An external broker (./outpost broker, Kubernetes) holds the key; this process only
        // tells terminals which CA to trust.
        keyStore = null;
        keyStorePassword = null;
        caPem = Files.readString(Path.of(tls.caFile()), StandardCharsets.US_ASCII);
      } else {
        List<String> names = new ArrayList<>();
        if (tls != null && tls.names() != null) {
          tls.names().stream().map(String::trim).filter(n -> !n.isEmpty()).forEach(names::add);
        }
        String host = props.broker().host();
        if (host != null && !host.isBlank() && !host.equals("0.0.0.0") && !host.equals("::")) {
          names.add(host);
        }
        names.add(hostOf(props.enrollment().brokerUrl()));
        LocalCertificates m =
            LocalCertificates.ensure(props.dataDir().resolve("tls").toAbsolutePath(), names);
        keyStore = m.keyStorePath();
        keyStorePassword = m.keyStorePassword();
        caPem = m.caCertificatePem();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not prepare the broker's TLS certificate", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("could not prepare the broker's TLS certificate", e);
    }
  }

  /** The acceptor's key store; null when the broker is external and only its CA is given. */
  public Path keyStore() {
    return keyStore;
  }

  public String keyStorePassword() {
    return keyStorePassword;
  }

  /** The CA certificate (PEM) terminals verify central's broker with. */
  public String caPem() {
    return caPem;
  }

  /** {@code tcp://central.example:61616?x=y} -> {@code central.example}. */
  static String hostOf(String url) {
    String s = url == null ? "" : url.replaceFirst("^\\(?[a-z]+://", "");
    int end = 0;
    while (end < s.length() && ":/?,)".indexOf(s.charAt(end)) < 0) {
      end++;
    }
    return s.substring(0, end);
  }
}
