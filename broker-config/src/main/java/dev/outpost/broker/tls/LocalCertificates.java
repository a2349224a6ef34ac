package dev.outpost.broker.tls;

import dev.outpost.broker.security.PrivateFiles;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.IPAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Central's own small certificate authority and the server certificate of the broker's terminal
 * acceptor, kept in one directory (central's {@code <dataDir>/tls}).
 *
 * <p>The first {@link #ensure} creates the CA and the server certificate; later calls reuse them
 * and issue a new server certificate only when the requested host names changed or it expires
 * within {@link #RENEW_BEFORE}. The CA is never replaced silently: terminals were enrolled with it,
 * so a new one would lock every one of them out.
 *
 * <p>Files: {@value #CA_CERT} (public), {@value #CA_KEY}, {@value #KEYSTORE} and {@value
 * #KEYSTORE_PASSWORD} (all three owner-only from the moment they exist).
 */
public final class LocalCertificates {
  private static final Logger LOG = LoggerFactory.getLogger(LocalCertificates.class);

  public static final String CA_CERT = "ca.pem";
  public static final String CA_KEY = "ca.key.pem";
  public static final String KEYSTORE = "broker.p12";
  public static final String KEYSTORE_PASSWORD = "broker.p12.password";
  public static final String KEYSTORE_TYPE = "PKCS12";

  /** Alias of the server key entry in {@value #KEYSTORE}. */
  public static final String KEY_ALIAS = "broker";

  /** A server certificate closer than this to its end is replaced at start. */
  public static final Duration RENEW_BEFORE = Duration.ofDays(30);

  static final Duration CA_VALIDITY = Duration.ofDays(20 * 365);
  static final Duration SERVER_VALIDITY = Duration.ofDays(2 * 365);
  // Terminals run offline for long and their clocks drift; a certificate that starts "in the
  // future" for a terminal running behind would be rejected, so validity starts a week back
  // (a terminal up to a week behind still connects and measures central's clock, CLOCK_SKEW).
  static final Duration BACKDATE = Duration.ofDays(7);

  private static final String SIGNATURE = "SHA256withECDSA";
  private static final Set<String> ALWAYS = Set.of("localhost", "127.0.0.1");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path dir;
  private final X509Certificate caCertificate;
  private final X509Certificate serverCertificate;
  private final String keyStorePassword;
  private final boolean serverCertificateIssued;

  private LocalCertificates(
      Path dir,
      X509Certificate caCertificate,
      X509Certificate serverCertificate,
      String keyStorePassword,
      boolean serverCertificateIssued) {
    this.dir = dir;
    this.caCertificate = caCertificate;
    this.serverCertificate = serverCertificate;
    this.keyStorePassword = keyStorePassword;
    this.serverCertificateIssued = serverCertificateIssued;
  }

  /**
   * Creates or reuses the CA and the server certificate in {@code dir}. {@code hostNames} are the
   * DNS names and IP addresses terminals use to reach the broker; {@code localhost} and {@code
   * 127.0.0.1} are always added.
   */
  public static LocalCertificates ensure(Path dir, Collection<String> hostNames)
      throws IOException, GeneralSecurityException {
    return ensure(dir, hostNames, Clock.systemUTC());
  }

  static LocalCertificates ensure(Path dir, Collection<String> hostNames, Clock clock)
      throws IOException, GeneralSecurityException {
    Instant now = clock.instant();
    Set<String> names = normalise(hostNames);
    names.addAll(ALWAYS);
    createPrivateDirectory(dir);

    Path caCertFile = dir.resolve(CA_CERT);
    Path caKeyFile = dir.resolve(CA_KEY);
    X509Certificate caCert;
    PrivateKey caKey;
    if (Files.exists(caCertFile)) {
      if (!Files.exists(caKeyFile)) {
        throw new IllegalStateException(
            caCertFile
                + " exists but "
                + caKeyFile
                + " is missing; restore it from a backup"
                + " (a new CA would lock out every enrolled terminal)");
      }
      caCert = parseCertificate(Files.readString(caCertFile, StandardCharsets.US_ASCII));
      caKey = parsePrivateKey(Files.readString(caKeyFile, StandardCharsets.US_ASCII));
      if (!now.isBefore(caCert.getNotAfter().toInstant())) {
        throw new IllegalStateException("the local CA in " + caCertFile + " has expired");
      }
    } else {
      // ca.pem is written last, so a start that died half-way leaves no CA anyone can trust yet
      // and it is safe to create a new one over a stray key.
      KeyPair ca = newKeyPair();
      caCert = issueCa(ca, now);
      caKey = ca.getPrivate();
      writePrivate(caKeyFile, toPem(new JcaPKCS8Generator(caKey, null).generate()));
      writePublic(caCertFile, toPem(caCert));
      LOG.info(
          "Created local certificate authority {} in {}", caCert.getSubjectX500Principal(), dir);
    }

    Path keyStoreFile = dir.resolve(KEYSTORE);
    Path passwordFile = dir.resolve(KEYSTORE_PASSWORD);
    X509Certificate current = loadServerCertificate(keyStoreFile, passwordFile, caCert);
    String reason = reasonToReissue(current, names, now);
    if (reason == null) {
      String password = Files.readString(passwordFile, StandardCharsets.US_ASCII).trim();
      return new LocalCertificates(dir, caCert, current, password, false);
    }
    KeyPair server = newKeyPair();
    X509Certificate serverCert = issueServer(server, names, caCert, caKey, now);
    String password = newPassword();
    KeyStore ks = KeyStore.getInstance(KEYSTORE_TYPE);
    ks.load(null, null);
    ks.setKeyEntry(
        KEY_ALIAS,
        server.getPrivate(),
        password.toCharArray(),
        new Certificate[] {serverCert, caCert});
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ks.store(out, password.toCharArray());
    // Password first: if start dies between the two, the old keystore no longer opens and the
    // next start simply issues a new one.
    writePrivate(passwordFile, password.getBytes(StandardCharsets.US_ASCII));
    writePrivate(keyStoreFile, out.toByteArray());
    LOG.info(
        "Issued broker certificate for {} valid until {} ({})",
        names,
        serverCert.getNotAfter(),
        reason);
    return new LocalCertificates(dir, caCert, serverCert, password, true);
  }

  // ---- what the broker, the tests and terminal enrolment need ----

  public Path directory() {
    return dir;
  }

  public Path caCertificatePath() {
    return dir.resolve(CA_CERT);
  }

  public Path keyStorePath() {
    return dir.resolve(KEYSTORE);
  }

  public String keyStorePassword() {
    return keyStorePassword;
  }

  public X509Certificate caCertificate() {
    return caCertificate;
  }

  public X509Certificate serverCertificate() {
    return serverCertificate;
  }

  /** Whether this {@link #ensure} issued a new server certificate (rather than reusing it). */
  public boolean serverCertificateIssued() {
    return serverCertificateIssued;
  }

  /** The CA certificate as PEM text, for terminal enrolment files. */
  public String caCertificatePem() {
    return new String(toPem(caCertificate), StandardCharsets.US_ASCII);
  }

  /**
   * The TLS part of an Artemis acceptor URL's query, e.g. appended to {@code
   * tcp://0.0.0.0:61617?protocols=CORE;}. TLS 1.3 only: every party is ours, nothing older to
   * serve. The password is URL-safe base64, so it needs no escaping.
   */
  public String acceptorParameters() {
    return "sslEnabled=true;keyStorePath="
        + keyStorePath().toAbsolutePath()
        + ";keyStorePassword="
        + keyStorePassword
        + ";keyStoreType="
        + KEYSTORE_TYPE
        + ";enabledProtocols=TLSv1.3";
  }

  /**
   * The TLS part of a core client (or bridge connector) URL that trusts only the CA in {@code
   * caPem} and checks the broker's host name. {@code PEMCA} is read by the PEM key store provider
   * that artemis-core-client ships, so a terminal needs the plain ca.pem and nothing else.
   */
  public static String clientParameters(Path caPem) {
    return "sslEnabled=true;trustStorePath="
        + caPem.toAbsolutePath()
        + ";trustStoreType=PEMCA;verifyHost=true;enabledProtocols=TLSv1.3";
  }

  /** A password-less in-memory trust store holding every certificate in {@code pem}. */
  public static KeyStore trustStore(String pem) throws IOException, GeneralSecurityException {
    KeyStore ks = KeyStore.getInstance(KEYSTORE_TYPE);
    ks.load(null, null);
    CertificateFactory cf = CertificateFactory.getInstance("X.509");
    int i = 0;
    for (Certificate c :
        cf.generateCertificates(
            new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
      ks.setCertificateEntry("ca-" + i++, c);
    }
    if (i == 0) {
      throw new GeneralSecurityException("no certificate in the given PEM text");
    }
    return ks;
  }

  // ---- issuing ----

  private static KeyPair newKeyPair() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    return g.generateKeyPair();
  }

  private static X509Certificate issueCa(KeyPair ca, Instant now)
      throws GeneralSecurityException, IOException {
    // A random suffix tells two centrals' CAs apart in a terminal's logs.
    X500Name subject =
        new X500Name(
            "CN=Outpost central local CA " + Long.toHexString(RANDOM.nextLong()) + ",O=Outpost");
    X509v3CertificateBuilder b =
        new JcaX509v3CertificateBuilder(
            subject,
            serial(),
            Date.from(now.minus(BACKDATE)),
            Date.from(now.plus(CA_VALIDITY)),
            subject,
            ca.getPublic());
    JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
    // pathLen 0: this CA signs end-entity certificates only, never another CA.
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    b.addExtension(
        Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(ca.getPublic()));
    return sign(b, ca.getPrivate());
  }

  private static X509Certificate issueServer(
      KeyPair server, Set<String> names, X509Certificate caCert, PrivateKey caKey, Instant now)
      throws GeneralSecurityException, IOException {
    Instant notAfter = now.plus(SERVER_VALIDITY);
    if (notAfter.isAfter(caCert.getNotAfter().toInstant())) {
      notAfter = caCert.getNotAfter().toInstant();
    }
    List<GeneralName> sans = new ArrayList<>();
    String cn = "outpost-broker";
    for (String n : names) {
      if (isIp(n)) {
        sans.add(new GeneralName(GeneralName.iPAddress, n));
      } else {
        sans.add(new GeneralName(GeneralName.dNSName, n));
        if (cn.equals("outpost-broker") && !n.equals("localhost")) {
          cn = n;
        }
      }
    }
    X509v3CertificateBuilder b =
        new JcaX509v3CertificateBuilder(
            caCert,
            serial(),
            Date.from(now.minus(BACKDATE)),
            Date.from(notAfter),
            new X500Principal("CN=" + cn + ",O=Outpost"),
            server.getPublic());
    JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
    b.addExtension(
        Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
    b.addExtension(
        Extension.subjectAlternativeName,
        false,
        new GeneralNames(sans.toArray(GeneralName[]::new)));
    b.addExtension(
        Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(server.getPublic()));
    b.addExtension(
        Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(caCert));
    return sign(b, caKey);
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key)
      throws GeneralSecurityException {
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(b.build(new JcaContentSignerBuilder(SIGNATURE).build(key)));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  private static BigInteger serial() {
    return new BigInteger(127, RANDOM).setBit(126); // positive, fixed length, unguessable
  }

  private static String newPassword() {
    byte[] b = new byte[24];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  // ---- reusing ----

  /**
   * The server certificate in the keystore if it opens and was issued by {@code caCert}, else null.
   */
  private static X509Certificate loadServerCertificate(
      Path keyStoreFile, Path passwordFile, X509Certificate caCert) {
    if (!Files.exists(keyStoreFile) || !Files.exists(passwordFile)) {
      return null;
    }
    try (InputStream in = Files.newInputStream(keyStoreFile)) {
      char[] password =
          Files.readString(passwordFile, StandardCharsets.US_ASCII).trim().toCharArray();
      KeyStore ks = KeyStore.getInstance(KEYSTORE_TYPE);
      ks.load(in, password);
      if (ks.getKey(KEY_ALIAS, password) == null) {
        return null;
      }
      X509Certificate cert = (X509Certificate) ks.getCertificate(KEY_ALIAS);
      cert.verify(caCert.getPublicKey());
      return cert;
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      LOG.warn("Cannot reuse {}: {}", keyStoreFile, e.toString());
      return null;
    }
  }

  private static String reasonToReissue(X509Certificate cert, Set<String> names, Instant now)
      throws GeneralSecurityException {
    if (cert == null) {
      return "no usable certificate";
    }
    if (cert.getNotAfter().toInstant().isBefore(now.plus(RENEW_BEFORE))) {
      return "expires " + cert.getNotAfter();
    }
    Set<String> has = new TreeSet<>();
    if (cert.getSubjectAlternativeNames() != null) {
      for (List<?> san : cert.getSubjectAlternativeNames()) {
        has.add(normaliseOne(san.get(1).toString()));
      }
    }
    if (!has.equals(names)) {
      return "host names changed from " + has;
    }
    return null;
  }

  private static Set<String> normalise(Collection<String> names) {
    Set<String> out = new TreeSet<>();
    for (String n : names) {
      if (n != null && !n.isBlank()) {
        out.add(normaliseOne(n.trim()));
      }
    }
    return out;
  }

  // Literal IPs only (no DNS lookup): one spelling per address, so a set comparison is exact.
  private static String normaliseOne(String n) {
    if (isIp(n)) {
      try {
        return InetAddress.getByName(n).getHostAddress();
      } catch (IOException e) {
        throw new IllegalArgumentException("bad IP address " + n, e);
      }
    }
    return n.toLowerCase(Locale.ROOT);
  }

  private static boolean isIp(String n) {
    return IPAddress.isValid(n);
  }

  // ---- PEM ----

  private static byte[] toPem(Object o) {
    StringWriter w = new StringWriter();
    try (JcaPEMWriter pem = new JcaPEMWriter(w)) {
      pem.writeObject(o);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return w.toString().getBytes(StandardCharsets.US_ASCII);
  }

  private static X509Certificate parseCertificate(String pem) throws GeneralSecurityException {
    return (X509Certificate)
        CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
  }

  private static PrivateKey parsePrivateKey(String pem) throws IOException {
    try (PEMParser p = new PEMParser(new StringReader(pem))) {
      Object o = p.readObject();
      JcaPEMKeyConverter c = new JcaPEMKeyConverter();
      if (o instanceof PrivateKeyInfo info) {
        return c.getPrivateKey(info);
      }
      if (o instanceof PEMKeyPair pair) {
        return c.getKeyPair(pair).getPrivate();
      }
      throw new IOException("no private key in the CA key file");
    }
  }

  // ---- files ----

  private static boolean posix(Path dir) throws IOException {
    return Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class);
  }

  private static void createPrivateDirectory(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    Path parent = dir.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    if (posix(parent == null ? dir.getRoot() : parent)) {
      Files.createDirectory(
          dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } else {
      Files.createDirectory(dir);
    }
  }

  /**
   * Writes a private file that is owner-only from its creation: a temporary file created with
   * rw------- in the same directory, then moved over the target, so neither a reader in between nor
   * a crash ever sees a readable or half-written key.
   */
  private static void writePrivate(Path target, byte[] content) throws IOException {
    write(target, content, "rw-------");
  }

  private static void writePublic(Path target, byte[] content) throws IOException {
    write(target, content, "rw-r--r--");
  }

  private static void write(Path target, byte[] content, String permissions) throws IOException {
    PrivateFiles.write(target, content, permissions);
  }
}
