package dev.outpost.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The checks of {@code kubectl kustomize k8s/overlays/dev|prod}: strict parse into the Kubernetes
 * model, CloudNativePG resources against their CRD schema, and the cross-references that a parse
 * cannot see (selectors, ports, probes, ConfigMaps, Secrets, ServiceAccounts, volumes, URLs,
 * images, environment variable names).
 */
class ManifestsTest {
  static final String CNPG_CLUSTER = "postgresql.cnpg.io/v1/Cluster";
  static final Set<String> THIRD_PARTY_IMAGES =
      Set.of("postgres:17.6", "ghcr.io/cloudnative-pg/postgresql:17.6");
  static final Set<String> ALLOWED_PLAIN_ENV = Set.of("JAVA_TOOL_OPTIONS");

  // ------------------------------------------------------------------ parse and schema

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void everyObjectParsesStrictlyIntoTheKubernetesModelOrItsCrdSchema(String overlay) {
    List<ObjectNode> docs = Kustomize.render(overlay);
    assertThat(docs).isNotEmpty();
    List<String> problems = new ArrayList<>();
    for (ObjectNode doc : docs) {
      if (CrdSchemas.covers(doc)) {
        CrdSchemas.validate(doc).forEach(m -> problems.add(id(doc) + ": " + m));
      } else {
        try {
          StrictModel.parse(doc);
        } catch (AssertionError e) {
          problems.add(e.getMessage());
        }
      }
    }
    assertThat(problems).isEmpty();
  }

  @Test
  void theStrictChecksRejectAnUnknownField() throws IOException {
    ObjectNode deployment =
        Kustomize.parse(
                """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: x}
                spec:
                  selector: {matchLabels: {a: b}}
                  template:
                    metadata: {labels: {a: b}}
                    spec:
                      containers:
                        - name: x
                          image: x
                          livenessprobe: {}
                """)
            .get(0);
    assertThatThrownBy(() -> StrictModel.parse(deployment)).hasMessageContaining("livenessprobe");
    ObjectNode cluster =
        Kustomize.parse(
                """
                apiVersion: postgresql.cnpg.io/v1
                kind: Cluster
                metadata: {name: x}
                spec:
                  instance: 2
                  storage: {size: 1Gi}
                """)
            .get(0);
    assertThat(CrdSchemas.validate(cluster)).anyMatch(m -> m.contains("instance"));
  }

  @Test
  void prodRunsPostgresqlAsACloudNativePgClusterWithAReplicaAndScheduledBackups() {
    List<ObjectNode> prod = Kustomize.render("prod");
    ObjectNode cluster = only(prod, CNPG_CLUSTER);
    assertThat(cluster.path("spec").path("instances").asInt()).isGreaterThanOrEqualTo(2);
    assertThat(cluster.path("spec").path("backup").has("barmanObjectStore")).isTrue();
    List<ObjectNode> backups = ofKind(prod, "postgresql.cnpg.io/v1/ScheduledBackup");
    assertThat(backups).isNotEmpty();
    for (ObjectNode b : backups) {
      assertThat(b.path("spec").path("cluster").path("name").asText()).isEqualTo(name(cluster));
    }
    assertThat(ofKind(Kustomize.render("dev"), CNPG_CLUSTER)).isEmpty();
  }

  @Test
  void prodRunsTheBrokersAsASharedStorePairOnOneReadWriteManyVolume() {
    Model m = new Model(Kustomize.render("prod"));
    List<Workload> brokers =
        m.workloads.stream().filter(w -> w.image().startsWith("outpost/central-broker:")).toList();
    assertThat(brokers).hasSize(2);
    Set<String> roles = new TreeSet<>();
    Set<String> claims = new TreeSet<>();
    for (Workload w : brokers) {
      assertThat(w.source.at("/spec/replicas").asInt()).as(w.id + " replicas").isEqualTo(1);
      for (JsonNode e : w.containers().get(0).path("env")) {
        if (e.path("name").asText().equals("OUTPOST_BROKER_HA")) {
          roles.add(e.path("value").asText());
        }
      }
      w.podSpec
          .path("volumes")
          .forEach(v -> claims.add(v.path("persistentVolumeClaim").path("claimName").asText("")));
      assertThat(w.podSpec.at("/affinity/podAntiAffinity").isMissingNode())
          .as(w.id + " keeps away from the other broker")
          .isFalse();
    }
    claims.remove("");
    assertThat(roles).containsExactly("backup", "primary");
    assertThat(claims).as("one shared journal volume").hasSize(1);
    ObjectNode pvc = m.byName("v1/PersistentVolumeClaim", claims.iterator().next()).orElseThrow();
    assertThat(pvc.at("/spec/accessModes").toString()).contains("ReadWriteMany");
  }

  // ------------------------------------------------------------------ cross-references

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void crossReferencesHold(String overlay) {
    Model m = new Model(Kustomize.render(overlay));
    List<String> problems = new ArrayList<>();

    for (Workload w : m.workloads) {
      if (w.selector != null && !w.labels.entrySet().containsAll(w.selector.entrySet())) {
        problems.add(w.id + ": selector " + w.selector + " does not match its pod labels");
      }
      if (w.serviceAccount != null && !m.names("v1/ServiceAccount").contains(w.serviceAccount)) {
        problems.add(w.id + ": no ServiceAccount " + w.serviceAccount);
      }
      if (w.serviceName != null) {
        Optional<ObjectNode> svc = m.byName("v1/Service", w.serviceName);
        if (svc.isEmpty() || !"None".equals(svc.get().path("spec").path("clusterIP").asText())) {
          problems.add(w.id + ": serviceName " + w.serviceName + " is no headless Service");
        }
      }
      for (JsonNode v : w.podSpec.path("volumes")) {
        String cm = v.path("configMap").path("name").asText(null);
        if (cm != null && !m.names("v1/ConfigMap").contains(cm)) {
          problems.add(w.id + ": volume " + v.path("name").asText() + " names no ConfigMap " + cm);
        }
        String claim = v.path("persistentVolumeClaim").path("claimName").asText(null);
        if (claim != null && !m.names("v1/PersistentVolumeClaim").contains(claim)) {
          problems.add(w.id + ": no PersistentVolumeClaim " + claim);
        }
      }
      Set<String> volumes = new HashSet<>();
      w.podSpec.path("volumes").forEach(v -> volumes.add(v.path("name").asText()));
      w.claimTemplates.forEach(volumes::add);
      for (JsonNode c : w.containers()) {
        String cid = w.id + " container " + c.path("name").asText();
        for (JsonNode vm : c.path("volumeMounts")) {
          if (!volumes.contains(vm.path("name").asText())) {
            problems.add(cid + ": mounts unknown volume " + vm.path("name").asText());
          }
        }
        for (JsonNode e : c.path("env")) {
          JsonNode ref = e.path("valueFrom").path("configMapKeyRef");
          if (!ref.isMissingNode()) {
            Optional<ObjectNode> cm = m.byName("v1/ConfigMap", ref.path("name").asText());
            if (cm.isEmpty() || !cm.get().path("data").has(ref.path("key").asText())) {
              problems.add(
                  cid + ": env " + e.path("name").asText() + " names no ConfigMap key " + ref);
            }
          }
        }
        for (String probe : List.of("livenessProbe", "readinessProbe")) {
          // CloudNativePG's instance pods get the operator's own probes.
          if (!w.cnpg && !c.has(probe)) {
            problems.add(cid + ": no " + probe);
          }
        }
        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
          JsonNode p = c.path(probe);
          JsonNode port =
              p.path("httpGet").has("port")
                  ? p.path("httpGet").path("port")
                  : p.path("tcpSocket").path("port");
          if (!port.isMissingNode() && !w.hasPort(c, port)) {
            problems.add(cid + ": " + probe + " port " + port + " is no container port");
          }
        }
        for (String r : List.of("requests", "limits")) {
          JsonNode res = c.path("resources").path(r);
          if (!res.has("cpu") || !res.has("memory")) {
            problems.add(cid + ": resources." + r + " needs cpu and memory");
          }
        }
      }
    }

    for (ObjectNode svc : m.ofKind("v1/Service")) {
      Map<String, String> selector = labels(svc.path("spec").path("selector"));
      List<Workload> targets = m.selected(selector);
      if (selector.isEmpty() || targets.isEmpty()) {
        problems.add(id(svc) + ": selector " + selector + " selects no pods");
      }
      for (JsonNode port : svc.path("spec").path("ports")) {
        JsonNode target = port.has("targetPort") ? port.path("targetPort") : port.path("port");
        for (Workload w : targets) {
          if (w.containers().stream().noneMatch(c -> w.hasPort(c, target))) {
            problems.add(id(svc) + ": targetPort " + target + " is no port of " + w.id);
          }
        }
      }
    }

    for (ObjectNode pdb : m.ofKind("policy/v1/PodDisruptionBudget")) {
      Map<String, String> selector = labels(pdb.path("spec").path("selector").path("matchLabels"));
      if (m.selected(selector).isEmpty()) {
        problems.add(id(pdb) + ": selector " + selector + " selects no pods");
      }
    }
    for (Workload w : m.workloads) {
      boolean covered =
          w.cnpg
              ? w.source.path("spec").path("enablePDB").asBoolean(true)
              : m.ofKind("policy/v1/PodDisruptionBudget").stream()
                  .anyMatch(
                      pdb ->
                          w.labels
                              .entrySet()
                              .containsAll(
                                  labels(pdb.path("spec").path("selector").path("matchLabels"))
                                      .entrySet()));
      if (!covered) {
        problems.add(w.id + ": no PodDisruptionBudget covers its pods");
      }
    }

    for (ObjectNode hpa : m.ofKind("autoscaling/v2/HorizontalPodAutoscaler")) {
      JsonNode ref = hpa.path("spec").path("scaleTargetRef");
      if (m.byName(
              ref.path("apiVersion").asText() + "/" + ref.path("kind").asText(),
              ref.path("name").asText())
          .isEmpty()) {
        problems.add(id(hpa) + ": scaleTargetRef " + ref + " does not exist");
      }
    }

    for (ObjectNode np : m.ofKind("networking.k8s.io/v1/NetworkPolicy")) {
      Map<String, String> selector =
          labels(np.path("spec").path("podSelector").path("matchLabels"));
      List<Workload> selected = m.selected(selector);
      if (!selector.isEmpty() && selected.isEmpty()) {
        problems.add(id(np) + ": podSelector " + selector + " selects no pods");
      }
      for (String dir : List.of("ingress", "egress")) {
        for (JsonNode rule : np.path("spec").path(dir)) {
          List<Workload> peers = new ArrayList<>();
          for (JsonNode peer : rule.path(dir.equals("ingress") ? "from" : "to")) {
            if (peer.has("podSelector") && !peer.has("namespaceSelector")) {
              Map<String, String> s = labels(peer.path("podSelector").path("matchLabels"));
              List<Workload> matched = m.selected(s);
              if (matched.isEmpty()) {
                problems.add(id(np) + ": " + dir + " peer " + s + " selects no pods");
              }
              peers.addAll(matched);
            }
          }
          // Ingress ports are the selected pods' ports; egress ports those of the peers.
          List<Workload> owners = dir.equals("ingress") ? selected : peers;
          for (JsonNode port : rule.path("ports")) {
            for (Workload w : owners) {
              if (w.containers().stream().noneMatch(c -> w.hasPort(c, port.path("port")))) {
                problems.add(
                    id(np) + ": " + dir + " port " + port.path("port") + " is no port of " + w.id);
              }
            }
          }
        }
      }
    }

    assertThat(problems).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void onlyTheBrokersTlsAcceptorIsOpenToTerminals(String overlay) {
    Model m = new Model(Kustomize.render(overlay));
    List<ObjectNode> exposed =
        m.ofKind("v1/Service").stream()
            .filter(s -> !s.path("spec").path("type").asText("ClusterIP").equals("ClusterIP"))
            .toList();
    assertThat(exposed).extracting(ManifestsTest::name).containsExactly("central-broker-terminals");
    ObjectNode lb = exposed.get(0);
    assertThat(lb.path("spec").path("type").asText()).isEqualTo("LoadBalancer");
    assertThat(lb.path("spec").path("ports")).hasSize(1);
    assertThat(lb.path("spec").path("ports").get(0).path("port").asInt()).isEqualTo(61616);
    assertThat(m.selected(labels(lb.path("spec").path("selector"))))
        .allMatch(w -> w.image().startsWith("outpost/central-broker:"));

    // A default deny, and the only ingress open to any source is the broker's acceptor.
    assertThat(m.ofKind("networking.k8s.io/v1/NetworkPolicy"))
        .anyMatch(
            np ->
                np.path("spec").path("podSelector").isEmpty()
                    && np.path("spec").path("policyTypes").toString().contains("Ingress")
                    && !np.path("spec").has("ingress"));
    for (ObjectNode np : m.ofKind("networking.k8s.io/v1/NetworkPolicy")) {
      for (JsonNode rule : np.path("spec").path("ingress")) {
        if (rule.path("from").isEmpty()) {
          List<Workload> selected =
              m.selected(labels(np.path("spec").path("podSelector").path("matchLabels")));
          assertThat(selected).as(id(np)).isNotEmpty();
          assertThat(selected)
              .as(id(np))
              .allMatch(w -> w.image().startsWith("outpost/central-broker:"));
          for (JsonNode port : rule.path("ports")) {
            for (Workload w : selected) {
              assertThat(w.portNumber(port.path("port"))).as(id(np)).contains(61616);
            }
          }
          assertThat(rule.path("ports")).as(id(np) + " ports").isNotEmpty();
        }
      }
    }
  }

  @Test
  void prodRoutesOnlyTheTerminalsHttpPathsToCentralRouteThroughAnIngressWithTls() {
    Model m = new Model(Kustomize.render("prod"));
    ObjectNode ingress = only(m.docs, "networking.k8s.io/v1/Ingress");
    // The host terminals are given (enrollment files) is the one the Ingress serves, over TLS.
    String httpUrl =
        m.ofKind("v1/ConfigMap").stream()
            .filter(c -> name(c).startsWith("outpost-public-endpoints"))
            .findFirst()
            .orElseThrow()
            .path("data")
            .path("http-url")
            .asText();
    String host = java.net.URI.create(httpUrl).getHost();
    assertThat(httpUrl).startsWith("https://");
    JsonNode rules = ingress.path("spec").path("rules");
    assertThat(rules).hasSize(1);
    assertThat(rules.get(0).path("host").asText()).isEqualTo(host);
    JsonNode tls = ingress.path("spec").path("tls");
    assertThat(tls).hasSize(1);
    assertThat(tls.get(0).path("hosts").toString()).contains("\"" + host + "\"");
    assertThat(tls.get(0).path("secretName").asText()).isEqualTo("outpost-central-http-tls");
    // Only the paths a terminal calls (MasterDataSync, KeyRegistration), each to central-route's
    // Service on a port it has.
    List<String> paths = new ArrayList<>();
    for (JsonNode p : rules.get(0).path("http").path("paths")) {
      paths.add(p.path("path").asText());
      assertThat(p.path("pathType").asText()).isEqualTo("Prefix");
      JsonNode svc = p.path("backend").path("service");
      ObjectNode service = m.byName("v1/Service", svc.path("name").asText()).orElseThrow();
      assertThat(m.selected(labels(service.path("spec").path("selector"))))
          .isNotEmpty()
          .allMatch(w -> w.image().startsWith("outpost/central-route:"));
      List<String> ports = new ArrayList<>();
      service.path("spec").path("ports").forEach(sp -> ports.add(sp.path("name").asText()));
      assertThat(ports).contains(svc.path("port").path("name").asText());
    }
    assertThat(paths).containsExactlyInAnyOrder("/api/v1/masterdata-sync", "/api/v1/terminals");
    // And a NetworkPolicy lets the ingress controller reach central-route's HTTP.
    assertThat(m.ofKind("networking.k8s.io/v1/NetworkPolicy"))
        .anyMatch(
            np ->
                m.selected(labels(np.path("spec").path("podSelector").path("matchLabels"))).stream()
                        .anyMatch(w -> w.image().startsWith("outpost/central-route:"))
                    && np.path("spec").path("ingress").toString().contains("namespaceSelector")
                    && np.path("spec").path("ingress").toString().contains("\"http\""));
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void urlsNameTheServicesTheyMeanToReach(String overlay) {
    Model m = new Model(Kustomize.render(overlay));
    List<String> problems = new ArrayList<>();
    int brokerUrls = 0;
    for (Workload w : m.workloads) {
      for (JsonNode c : w.containers()) {
        Map<String, String> env = new LinkedHashMap<>();
        c.path("env").forEach(e -> env.put(e.path("name").asText(), e.path("value").asText(null)));
        String broker = env.get("OUTPOST_BROKER_URL");
        if (broker != null) {
          brokerUrls++;
          HostPort hp = HostPort.of(broker);
          problems.addAll(
              m.serviceReaches(w.id + " OUTPOST_BROKER_URL", hp, "outpost/central-broker:"));
          if (!broker.contains("sslEnabled=true") || !broker.contains("verifyHost=true")) {
            problems.add(w.id + ": OUTPOST_BROKER_URL without TLS and host verification");
          }
          String ca = env.get("OUTPOST_BROKER_CA");
          if (ca == null || !broker.contains("trustStorePath=" + ca)) {
            problems.add(w.id + ": OUTPOST_BROKER_URL must trust OUTPOST_BROKER_CA");
          }
        }
        String db = env.get("OUTPOST_DB_URL");
        if (db != null) {
          HostPort hp = HostPort.of(db.replaceFirst("^jdbc:", ""));
          boolean cnpg =
              m.ofKind(CNPG_CLUSTER).stream().anyMatch(cl -> hp.host().equals(name(cl) + "-rw"));
          if (!cnpg) {
            problems.addAll(m.serviceReaches(w.id + " OUTPOST_DB_URL", hp, "postgres:"));
          } else if (hp.port() != 5432) {
            problems.add(w.id + ": OUTPOST_DB_URL port " + hp.port());
          }
        }
        String jolokia = env.get("OUTPOST_CONSOLE_CENTRAL_URL");
        if (jolokia != null) {
          problems.addAll(
              m.serviceReaches(
                  w.id + " OUTPOST_CONSOLE_CENTRAL_URL",
                  HostPort.of(jolokia),
                  "outpost/central-route:"));
        }
        String advertised = env.get("OUTPOST_BROKER_ADVERTISED_HOST");
        if (advertised != null && !advertised.isEmpty()) {
          problems.addAll(
              m.serviceReaches(
                  w.id + " OUTPOST_BROKER_ADVERTISED_HOST",
                  new HostPort(advertised, 61616),
                  "outpost/central-broker:"));
        }
        String partner = env.get("OUTPOST_BROKER_HA_PARTNER");
        if ("primary".equals(env.get("OUTPOST_BROKER_HA"))
            || "backup".equals(env.get("OUTPOST_BROKER_HA"))) {
          // <statefulset>-0.<headless service>:port, the other role's pod.
          Matcher pm =
              Pattern.compile("([a-z0-9-]+)-0\\.([a-z0-9-]+):(\\d+)")
                  .matcher(partner == null ? "" : partner);
          if (!pm.matches()) {
            problems.add(
                w.id + ": OUTPOST_BROKER_HA_PARTNER " + partner + " is no <sts>-0.<service>:port");
          } else {
            Optional<Workload> other =
                m.workloads.stream()
                    .filter(o -> o.id.equals("StatefulSet " + pm.group(1)))
                    .findFirst();
            if (other.isEmpty()
                || !pm.group(2).equals(other.get().serviceName)
                || other.get() == w) {
              problems.add(
                  w.id + ": OUTPOST_BROKER_HA_PARTNER " + partner + " is not the other broker");
            }
          }
        }
      }
    }
    assertThat(brokerUrls).as("central-route is given the broker's URL").isPositive();
    assertThat(problems).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void envVariablesAreOnesTheAppsRead(String overlay) throws IOException {
    Model m = new Model(Kustomize.render(overlay));
    List<String> problems = new ArrayList<>();
    for (Workload w : m.workloads) {
      for (JsonNode c : w.containers()) {
        String image = c.path("image").asText();
        if (!image.startsWith("outpost/")) {
          continue;
        }
        String module = image.substring("outpost/".length(), image.indexOf(':'));
        String sources = sourcesOf(module);
        for (JsonNode e : c.path("env")) {
          String n = e.path("name").asText();
          if (ALLOWED_PLAIN_ENV.contains(n)) {
            continue;
          }
          if (!sources.contains("${" + n + ":")
              && !sources.contains("${" + n + "}")
              && !sources.contains("\"" + n + "\"")) {
            problems.add(w.id + ": " + module + " reads no " + n);
          }
        }
      }
    }
    assertThat(problems).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void probesUseTheActuatorHealthGroupsTheAppsExpose(String overlay) throws IOException {
    Model m = new Model(Kustomize.render(overlay));
    for (Workload w : m.workloads) {
      for (JsonNode c : w.containers()) {
        String image = c.path("image").asText();
        if (!image.startsWith("outpost/")) {
          continue;
        }
        String module = image.substring("outpost/".length(), image.indexOf(':'));
        JsonNode yml =
            Kustomize.YAML.readTree(
                Files.readString(
                    Kustomize.root()
                        .resolve(module)
                        .resolve("src/main/resources/application.yml")));
        assertThat(yml.at("/management/endpoint/health/probes/enabled").asBoolean())
            .as(module + " enables the health probes")
            .isTrue();
        assertThat(c.at("/livenessProbe/httpGet/path").asText())
            .isEqualTo("/actuator/health/liveness");
        assertThat(c.at("/readinessProbe/httpGet/path").asText())
            .isEqualTo("/actuator/health/readiness");
        // The probe port is the app's HTTP port as its env sets it.
        String portVar =
            switch (module) {
              case "central-route" -> "OUTPOST_HTTP_PORT";
              case "central-broker" -> "OUTPOST_BROKER_HTTP_PORT";
              case "hawtio-console" -> "OUTPOST_CONSOLE_PORT";
              default -> throw new AssertionError("unknown app " + module);
            };
        String port = null;
        for (JsonNode e : c.path("env")) {
          if (e.path("name").asText().equals(portVar)) {
            port = e.path("value").asText();
          }
        }
        assertThat(port).as(w.id + " sets " + portVar).isNotNull();
        assertThat(w.portNumber(c.at("/livenessProbe/httpGet/port")))
            .as(w.id + " probes its HTTP port")
            .contains(Integer.parseInt(port));
      }
    }
  }

  // ------------------------------------------------------------------ secrets, config, images

  @Test
  void secretsAreReferencedByNameOnlyAndAllAreListed() throws IOException {
    Map<String, Set<String>> expected = expectedSecrets();
    Map<String, Set<String>> used = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    for (String overlay : List.of("dev", "prod")) {
      for (ObjectNode doc : Kustomize.render(overlay)) {
        if (doc.path("kind").asText().equals("Secret")) {
          problems.add(overlay + ": a Secret is committed: " + id(doc));
        }
        collectSecretRefs(doc, used);
      }
    }
    used.forEach(
        (secret, keys) -> {
          if (!expected.containsKey(secret)) {
            problems.add("Secret " + secret + " is not in k8s/expected-secrets.txt");
          } else {
            for (String k : keys) {
              if (!k.isEmpty() && !expected.get(secret).contains(k)) {
                problems.add(
                    "Secret " + secret + " key " + k + " is not in k8s/expected-secrets.txt");
              }
            }
          }
        });
    expected.keySet().stream()
        .filter(s -> !used.containsKey(s))
        .forEach(s -> problems.add("listed Secret " + s + " is used by no manifest"));
    assertThat(problems).isEmpty();
    // The README tells how to create each of them.
    String readme = Files.readString(Kustomize.root().resolve("README.md"));
    for (String s : expected.keySet()) {
      assertThat(readme)
          .as("README creates " + s)
          .containsPattern("kubectl (-n [a-z-]+ )?create secret [a-z]+ " + s + " ");
    }
  }

  @Test
  void theBrokerConfigMapIsBrokerConfigsCentralBrokerXml() throws IOException {
    String source =
        Files.readString(
            Kustomize.root()
                .resolve("broker-config/src/main/resources/outpost-broker/central/broker.xml"));
    for (String overlay : List.of("dev", "prod")) {
      List<ObjectNode> cms =
          ofKind(Kustomize.render(overlay), "v1/ConfigMap").stream()
              .filter(c -> name(c).startsWith("central-broker-config"))
              .toList();
      assertThat(cms).hasSize(1);
      assertThat(cms.get(0).path("data").path("broker.xml").asText())
          .as("k8s/base/broker/broker.xml is a copy of broker-config's central broker.xml")
          .isEqualTo(source);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void imagesAreTheOnesTheBuildMakes(String overlay) {
    String version = System.getProperty("outpost.version");
    Set<String> built =
        Arrays.stream(System.getProperty("outpost.images", "").split(","))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(built).isNotEmpty();
    for (String image : built) {
      Path module = Kustomize.root().resolve(image.substring("outpost/".length()));
      assertThat(module.resolve("pom.xml"))
          .as(image + " is built from a module of that name")
          .exists();
    }
    Model m = new Model(Kustomize.render(overlay));
    Set<String> used = new TreeSet<>();
    for (Workload w : m.workloads) {
      for (JsonNode c : w.containers()) {
        String image = c.path("image").asText();
        if (THIRD_PARTY_IMAGES.contains(image)) {
          continue;
        }
        int colon = image.lastIndexOf(':');
        assertThat(colon).as(w.id + " image " + image + " has a tag").isPositive();
        assertThat(built).as(w.id + " image " + image).contains(image.substring(0, colon));
        assertThat(image.substring(colon + 1)).as(w.id + " image tag").isEqualTo(version);
        used.add(image.substring(0, colon));
      }
    }
    assertThat(used).isEqualTo(built);
  }

  // ------------------------------------------------------------------ helpers

  static Map<String, Set<String>> expectedSecrets() throws IOException {
    Map<String, Set<String>> out = new LinkedHashMap<>();
    for (String line : Files.readAllLines(Kustomize.k8s().resolve("expected-secrets.txt"))) {
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      String[] parts = l.split("\\s+");
      out.put(parts[0], new TreeSet<>(Arrays.asList(parts).subList(1, parts.length)));
    }
    return out;
  }

  /** secretKeyRef, secret volumes (with items), Ingress TLS and CloudNativePG's references. */
  static void collectSecretRefs(JsonNode node, Map<String, Set<String>> used) {
    if (node.isObject()) {
      if (node.has("secretKeyRef")) {
        JsonNode r = node.path("secretKeyRef");
        used.computeIfAbsent(r.path("name").asText(), k -> new TreeSet<>())
            .add(r.path("key").asText());
      }
      if (node.path("secret").has("secretName")) {
        Set<String> keys =
            used.computeIfAbsent(
                node.path("secret").path("secretName").asText(), k -> new TreeSet<>());
        node.path("secret").path("items").forEach(i -> keys.add(i.path("key").asText()));
      }
      // An Ingress's TLS: a kubernetes.io/tls Secret.
      if (node.has("secretName") && node.has("hosts")) {
        used.computeIfAbsent(node.path("secretName").asText(), k -> new TreeSet<>())
            .addAll(Set.of("tls.crt", "tls.key"));
      }
      // CloudNativePG: bootstrap.initdb.secret {name}, s3Credentials.* {name, key}.
      if (node.has("initdb") && node.path("initdb").path("secret").has("name")) {
        used.computeIfAbsent(
                node.path("initdb").path("secret").path("name").asText(), k -> new TreeSet<>())
            .addAll(Set.of("username", "password"));
      }
      if (node.has("s3Credentials")) {
        node.path("s3Credentials")
            .forEach(
                r -> {
                  if (r.has("name")) {
                    used.computeIfAbsent(r.path("name").asText(), k -> new TreeSet<>())
                        .add(r.path("key").asText());
                  }
                });
      }
      node.elements().forEachRemaining(c -> collectSecretRefs(c, used));
    } else if (node.isArray()) {
      node.forEach(c -> collectSecretRefs(c, used));
    }
  }

  /** An app's main sources and those of the modules it embeds (where it reads its settings). */
  static String sourcesOf(String module) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (String m : List.of(module, "web-support", "broker-config")) {
      Path dir = Kustomize.root().resolve(m).resolve("src/main");
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path f :
            files
                .filter(Files::isRegularFile)
                .filter(p -> p.toString().matches(".*\\.(java|yml|yaml|properties)$"))
                .toList()) {
          sb.append(Files.readString(f)).append('\n');
        }
      }
    }
    return sb.toString();
  }

  static String name(JsonNode doc) {
    return doc.path("metadata").path("name").asText();
  }

  static String id(JsonNode doc) {
    return doc.path("kind").asText() + " " + name(doc);
  }

  static List<ObjectNode> ofKind(List<ObjectNode> docs, String key) {
    return docs.stream().filter(d -> StrictModel.key(d).equals(key)).toList();
  }

  static ObjectNode only(List<ObjectNode> docs, String key) {
    List<ObjectNode> found = ofKind(docs, key);
    assertThat(found).as(key).hasSize(1);
    return found.get(0);
  }

  static Map<String, String> labels(JsonNode node) {
    Map<String, String> out = new LinkedHashMap<>();
    if (node != null) {
      node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    }
    return out;
  }

  record HostPort(String host, int port) {
    /** {@code tcp://h:p?x}, {@code postgresql://h:p/db}, {@code http://h:p/path}. */
    static HostPort of(String url) {
      URI u = URI.create(url.replaceFirst("\\?.*$", ""));
      return new HostPort(u.getHost(), u.getPort());
    }
  }

  /** The pods a manifest set makes: Deployments, StatefulSets and CloudNativePG clusters. */
  static final class Workload {
    final String id;
    final JsonNode source;
    final Map<String, String> labels;
    final Map<String, String> selector;
    final JsonNode podSpec;
    final String serviceAccount;
    final String serviceName;
    final List<String> claimTemplates = new ArrayList<>();
    final boolean cnpg;

    Workload(ObjectNode doc) {
      this.source = doc;
      this.id = id(doc);
      this.cnpg = StrictModel.key(doc).equals(CNPG_CLUSTER);
      if (cnpg) {
        // What the operator puts on the instance pods: cnpg.io/cluster and the inherited labels;
        // PostgreSQL on 5432, the instance manager's status on 8000.
        Map<String, String> l = labels(doc.at("/spec/inheritedMetadata/labels"));
        l.put("cnpg.io/cluster", name(doc));
        this.labels = l;
        this.selector = null;
        ObjectNode spec = Kustomize.YAML.createObjectNode();
        ObjectNode c = spec.putArray("containers").addObject();
        c.put("name", "postgres").put("image", doc.at("/spec/imageName").asText());
        c.set("resources", doc.at("/spec/resources"));
        c.putArray("ports").addObject().put("name", "postgresql").put("containerPort", 5432);
        ((com.fasterxml.jackson.databind.node.ArrayNode) c.path("ports"))
            .addObject()
            .put("name", "status")
            .put("containerPort", 8000);
        this.podSpec = spec;
        this.serviceAccount = null;
        this.serviceName = null;
      } else {
        this.labels = labels(doc.at("/spec/template/metadata/labels"));
        this.selector = labels(doc.at("/spec/selector/matchLabels"));
        this.podSpec = doc.at("/spec/template/spec");
        this.serviceAccount = podSpec.path("serviceAccountName").asText(null);
        this.serviceName = doc.at("/spec/serviceName").asText(null);
        doc.at("/spec/volumeClaimTemplates").forEach(t -> claimTemplates.add(name(t)));
      }
    }

    List<JsonNode> containers() {
      List<JsonNode> out = new ArrayList<>();
      podSpec.path("containers").forEach(out::add);
      return out;
    }

    String image() {
      return containers().isEmpty() ? "" : containers().get(0).path("image").asText();
    }

    boolean selectedBy(Map<String, String> selector) {
      return labels.entrySet().containsAll(selector.entrySet());
    }

    boolean hasPort(JsonNode container, JsonNode port) {
      for (JsonNode p : container.path("ports")) {
        if (port.isTextual() && !port.asText().matches("\\d+")
            ? p.path("name").asText().equals(port.asText())
            : p.path("containerPort").asInt() == port.asInt()) {
          return true;
        }
      }
      return false;
    }

    /** The container port number a name or number stands for, in any container. */
    Optional<Integer> portNumber(JsonNode port) {
      for (JsonNode c : containers()) {
        for (JsonNode p : c.path("ports")) {
          if (port.isTextual() && !port.asText().matches("\\d+")
              ? p.path("name").asText().equals(port.asText())
              : p.path("containerPort").asInt() == port.asInt()) {
            return Optional.of(p.path("containerPort").asInt());
          }
        }
      }
      return Optional.empty();
    }
  }

  static final class Model {
    final List<ObjectNode> docs;
    final List<Workload> workloads = new ArrayList<>();

    Model(List<ObjectNode> docs) {
      this.docs = docs;
      for (ObjectNode d : docs) {
        String k = StrictModel.key(d);
        if (k.equals("apps/v1/Deployment")
            || k.equals("apps/v1/StatefulSet")
            || k.equals(CNPG_CLUSTER)) {
          workloads.add(new Workload(d));
        }
      }
    }

    List<ObjectNode> ofKind(String key) {
      return ManifestsTest.ofKind(docs, key);
    }

    Set<String> names(String key) {
      return ofKind(key).stream().map(ManifestsTest::name).collect(Collectors.toSet());
    }

    Optional<ObjectNode> byName(String key, String name) {
      return ofKind(key).stream().filter(d -> name(d).equals(name)).findFirst();
    }

    List<Workload> selected(Map<String, String> selector) {
      return workloads.stream().filter(w -> w.selectedBy(selector)).toList();
    }

    /**
     * The Service {@code hp.host} exists, serves {@code hp.port} and selects pods of that image.
     */
    List<String> serviceReaches(String what, HostPort hp, String imagePrefix) {
      List<String> problems = new ArrayList<>();
      Optional<ObjectNode> svc = byName("v1/Service", hp.host());
      if (svc.isEmpty()) {
        problems.add(what + ": " + hp.host() + " is no Service");
        return problems;
      }
      JsonNode port = null;
      for (JsonNode p : svc.get().path("spec").path("ports")) {
        if (p.path("port").asInt() == hp.port()) {
          port = p;
        }
      }
      if (port == null) {
        problems.add(what + ": Service " + hp.host() + " has no port " + hp.port());
      }
      List<Workload> targets = selected(labels(svc.get().path("spec").path("selector")));
      if (targets.isEmpty() || !targets.stream().allMatch(w -> w.image().startsWith(imagePrefix))) {
        problems.add(
            what + ": Service " + hp.host() + " does not lead to " + imagePrefix + " pods");
      }
      return problems;
    }
  }
}
