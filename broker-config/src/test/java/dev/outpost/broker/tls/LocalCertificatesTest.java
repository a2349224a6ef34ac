package dev.outpost.broker.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalCertificatesTest {
  @TempDir Path dir;

  @Test
  void firstStartCreatesCaAndServerCertificateWithOwnerOnlyPrivateFiles() throws Exception {
    Path tls = dir.resolve("tls");
    LocalCertificates certs =
        LocalCertificates.ensure(tls, List.of("Central.Example.org", "10.1.2.3"));

    assertThat(certs.serverCertificateIssued()).isTrue();
    assertThat(perms(tls)).isEqualTo("rwx------");
    assertThat(perms(tls.resolve("ca.key.pem"))).isEqualTo("rw-------");
    assertThat(perms(tls.resolve("broker.p12"))).isEqualTo("rw-------");
    assertThat(perms(tls.resolve("broker.p12.password"))).isEqualTo("rw-------");
    assertThat(perms(tls.resolve("ca.pem"))).isEqualTo("rw-r--r--");
    try (var files = Files.list(tls)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("ca.pem", "ca.key.pem", "broker.p12", "broker.p12.password");
    }

    X509Certificate ca = certs.caCertificate();
    assertThat(ca.getBasicConstraints()).isEqualTo(0); // a CA, path length 0
    assertThat(ca.getKeyUsage()[5]).as("keyCertSign").isTrue();
    assertThat(ca.getPublicKey().getAlgorithm()).isEqualTo("EC");

    X509Certificate server = certs.serverCertificate();
    server.verify(ca.getPublicKey());
    assertThat(server.getBasicConstraints()).isEqualTo(-1);
    assertThat(server.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1"); // serverAuth
    assertThat(sans(server))
        .containsExactlyInAnyOrder("central.example.org", "localhost", "10.1.2.3", "127.0.0.1");

    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(certs.keyStorePath())) {
      ks.load(in, Files.readString(tls.resolve("broker.p12.password")).toCharArray());
    }
    assertThat(ks.getCertificateChain("broker")).containsExactly(server, ca);
    assertThat(certs.caCertificatePem())
        .startsWith("-----BEGIN CERTIFICATE-----")
        .isEqualTo(Files.readString(certs.caCertificatePath()));
    assertThat(LocalCertificates.trustStore(certs.caCertificatePem()).getCertificate("ca-0"))
        .isEqualTo(ca);
  }

  @Test
  void laterStartsReuseThemAndReissueOnlyForNewNamesOrNearExpiry() throws Exception {
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    LocalCertificates first = LocalCertificates.ensure(dir, List.of("central.example.org"), at(t0));

    // Same names in another spelling and order, localhost given again: nothing changes.
    LocalCertificates again =
        LocalCertificates.ensure(
            dir, List.of("localhost", "CENTRAL.example.org "), at(t0.plus(Duration.ofDays(300))));
    assertThat(again.serverCertificateIssued()).isFalse();
    assertThat(again.serverCertificate()).isEqualTo(first.serverCertificate());
    assertThat(again.keyStorePassword()).isEqualTo(first.keyStorePassword());

    LocalCertificates renamed =
        LocalCertificates.ensure(dir, List.of("central.example.org", "10.0.0.5"), at(t0));
    assertThat(renamed.serverCertificateIssued()).isTrue();
    assertThat(renamed.caCertificate()).as("the CA stays").isEqualTo(first.caCertificate());
    assertThat(renamed.keyStorePassword()).isNotEqualTo(first.keyStorePassword());
    assertThat(sans(renamed.serverCertificate())).contains("10.0.0.5");

    Instant end = renamed.serverCertificate().getNotAfter().toInstant();
    assertThat(
            LocalCertificates.ensure(
                    dir,
                    List.of("central.example.org", "10.0.0.5"),
                    at(end.minus(Duration.ofDays(31))))
                .serverCertificateIssued())
        .isFalse();
    LocalCertificates renewed =
        LocalCertificates.ensure(
            dir, List.of("central.example.org", "10.0.0.5"), at(end.minus(Duration.ofDays(29))));
    assertThat(renewed.serverCertificateIssued()).isTrue();
    assertThat(renewed.serverCertificate().getNotAfter().toInstant()).isAfter(end);
    assertThat(renewed.caCertificate()).isEqualTo(first.caCertificate());
    assertThat(perms(dir.resolve("broker.p12"))).isEqualTo("rw-------");
  }

  @Test
  void aDamagedKeystoreIsReplacedButALostCaKeyStopsStartUp() throws Exception {
    LocalCertificates first = LocalCertificates.ensure(dir, List.of());
    Files.writeString(dir.resolve("broker.p12.password"), "wrong");
    LocalCertificates fixed = LocalCertificates.ensure(dir, List.of());
    assertThat(fixed.serverCertificateIssued()).isTrue();
    assertThat(fixed.caCertificate()).isEqualTo(first.caCertificate());

    Files.delete(dir.resolve("ca.key.pem"));
    assertThatThrownBy(() -> LocalCertificates.ensure(dir, List.of()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("ca.key.pem");
  }

  static Clock at(Instant t) {
    return Clock.fixed(t, ZoneOffset.UTC);
  }

  static String perms(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  static Set<String> sans(X509Certificate c) throws Exception {
    Set<String> out = new TreeSet<>();
    for (List<?> san : c.getSubjectAlternativeNames()) {
      out.add(san.get(1).toString());
    }
    return out;
  }
}
