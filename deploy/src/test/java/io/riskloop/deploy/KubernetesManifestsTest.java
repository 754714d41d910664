package io.riskloop.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static io.riskloop.deploy.DeployFiles.each;
import static io.riskloop.deploy.DeployFiles.fieldNames;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy/k8s, checked as the API server and the kubelet would check what matters: the kinds and API versions, names,
 * selectors that select, probes on declared ports, resources, non-root security contexts, and every environment
 * variable, volume and Secret key that a pod refers to existing.
 */
class KubernetesManifestsTest {

    static final Path DIR = DeployFiles.DEPLOY.resolve("k8s");
    static final Map<String, String> API_VERSIONS = Map.of("Namespace", "v1", "ConfigMap", "v1", "Secret", "v1",
            "PersistentVolumeClaim", "v1", "Service", "v1", "Deployment", "apps/v1", "CronJob", "batch/v1",
            "PodDisruptionBudget", "policy/v1");
    static final List<JsonNode> OBJECTS = load();

    private static List<JsonNode> load() {
        List<JsonNode> all = new ArrayList<>();
        try (Stream<Path> files = Files.list(DIR)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                if (!f.getFileName().toString().equals("kustomization.yaml")) {
                    all.addAll(DeployFiles.yaml(f));
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return all;
    }

    static List<JsonNode> ofKind(String kind) {
        return OBJECTS.stream().filter(o -> o.path("kind").asText().equals(kind)).toList();
    }

    static JsonNode named(String kind, String name) {
        return ofKind(kind).stream().filter(o -> o.path("metadata").path("name").asText().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " named " + name));
    }

    /** The pod template of a Deployment or a CronJob. */
    static JsonNode podTemplate(JsonNode workload) {
        return workload.path("kind").asText().equals("CronJob")
                ? workload.path("spec").path("jobTemplate").path("spec").path("template")
                : workload.path("spec").path("template");
    }

    static List<JsonNode> workloads() {
        List<JsonNode> w = new ArrayList<>(ofKind("Deployment"));
        w.addAll(ofKind("CronJob"));
        return w;
    }

    static String name(JsonNode o) {
        return o.path("kind").asText() + "/" + o.path("metadata").path("name").asText();
    }

    static boolean selects(JsonNode matchLabels, JsonNode labels) {
        if (!matchLabels.isObject() || matchLabels.isEmpty()) {
            return false;
        }
        for (String k : fieldNames(matchLabels)) {
            if (!matchLabels.path(k).asText().equals(labels.path(k).asText(null))) {
                return false;
            }
        }
        return true;
    }

    @Test
    void everyObjectHasAKnownKindItsApiVersionAValidNameAndTheNamespace() {
        assertThat(OBJECTS).hasSizeGreaterThanOrEqualTo(10);
        for (JsonNode o : OBJECTS) {
            String kind = o.path("kind").asText();
            assertThat(API_VERSIONS).as("unexpected kind in %s", o).containsKey(kind);
            assertThat(o.path("apiVersion").asText()).as(name(o)).isEqualTo(API_VERSIONS.get(kind));
            assertThat(o.path("metadata").path("name").asText()).as(name(o)).matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
            if (!kind.equals("Namespace")) {
                assertThat(o.path("metadata").path("namespace").asText()).as(name(o)).isEqualTo("riskloop");
            }
            assertThat(o.path("metadata").path("labels").path("app.kubernetes.io/part-of").asText()).as(name(o))
                    .isEqualTo("riskloop");
        }
        assertThat(OBJECTS.stream().map(o -> o.path("kind").asText())).contains("Deployment", "Service", "CronJob",
                "ConfigMap", "Secret", "PodDisruptionBudget");
    }

    @Test
    void theKustomizationListsEveryManifestButTheSecretTemplate() throws IOException {
        JsonNode k = DeployFiles.yamlDocument(DIR.resolve("kustomization.yaml"));
        assertThat(k.path("apiVersion").asText()).isEqualTo("kustomize.config.k8s.io/v1beta1");
        assertThat(k.path("kind").asText()).isEqualTo("Kustomization");
        Set<String> listed = new HashSet<>();
        each(k.path("resources")).forEach(r -> listed.add(r.asText()));
        Set<String> files = new HashSet<>();
        try (Stream<Path> s = Files.list(DIR)) {
            s.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".yaml"))
                    .filter(f -> !f.equals("kustomization.yaml") && !f.equals("secret.template.yaml")).forEach(files::add);
        }
        assertThat(listed).isEqualTo(files);
        assertThat(k.path("images").toString()).contains("\"name\":\"riskloop\"");
    }

    @Test
    void selectorsSelectTheirPods() {
        for (JsonNode d : ofKind("Deployment")) {
            JsonNode labels = d.path("spec").path("template").path("metadata").path("labels");
            assertThat(selects(d.path("spec").path("selector").path("matchLabels"), labels))
                    .as("%s's selector does not match its pod labels", name(d)).isTrue();
            assertThat(d.path("spec").path("replicas").asInt()).as(name(d)).isPositive();
        }
        for (JsonNode svc : ofKind("Service")) {
            List<JsonNode> targets = ofKind("Deployment").stream().filter(d -> selects(svc.path("spec").path("selector"),
                    d.path("spec").path("template").path("metadata").path("labels"))).toList();
            assertThat(targets).as("%s selects no Deployment", name(svc)).hasSize(1);
            Set<String> ports = new HashSet<>();
            for (JsonNode c : each(podTemplate(targets.get(0)).path("spec").path("containers"))) {
                for (JsonNode p : each(c.path("ports"))) {
                    ports.add(p.path("name").asText());
                    ports.add(p.path("containerPort").asText());
                }
            }
            for (JsonNode p : each(svc.path("spec").path("ports"))) {
                assertThat(ports).as("%s targets port %s that its pods do not declare", name(svc),
                        p.path("targetPort").asText()).contains(p.path("targetPort").asText());
            }
        }
        for (JsonNode pdb : ofKind("PodDisruptionBudget")) {
            assertThat(ofKind("Deployment").stream().filter(d -> selects(pdb.path("spec").path("selector")
                    .path("matchLabels"), d.path("spec").path("template").path("metadata").path("labels"))).count())
                    .as("%s selects no Deployment", name(pdb)).isEqualTo(1);
            assertThat(pdb.path("spec").has("minAvailable") ^ pdb.path("spec").has("maxUnavailable")).as(name(pdb)).isTrue();
        }
        assertThat(ofKind("PodDisruptionBudget")).hasSize(ofKind("Deployment").size());
    }

    @Test
    void processorReplicasDoNotExceedThePartitions() {
        int partitions = Integer.parseInt(named("ConfigMap", "riskloop-config").path("data").path("RISKLOOP_PARTITIONS")
                .asText());
        assertThat(named("Deployment", "riskloop-processor").path("spec").path("replicas").asInt())
                .isBetween(1, partitions);
    }

    @Test
    void everyContainerHasResourcesProbesOnDeclaredPortsAndRunsAsNonRoot() {
        for (JsonNode w : workloads()) {
            JsonNode pod = podTemplate(w).path("spec");
            JsonNode podSecurity = pod.path("securityContext");
            assertThat(podSecurity.path("runAsNonRoot").asBoolean()).as(name(w)).isTrue();
            assertThat(podSecurity.path("runAsUser").asInt()).as(name(w)).isPositive();
            assertThat(each(pod.path("containers"))).as(name(w)).isNotEmpty();
            for (JsonNode c : each(pod.path("containers"))) {
                String where = name(w) + " container " + c.path("name").asText();
                assertThat(c.path("image").asText()).as(where).startsWith("riskloop");
                for (String kind : new String[] {"requests", "limits"}) {
                    assertThat(c.path("resources").path(kind).has("cpu")).as("%s %s.cpu", where, kind).isTrue();
                    assertThat(c.path("resources").path(kind).has("memory")).as("%s %s.memory", where, kind).isTrue();
                }
                JsonNode security = c.path("securityContext");
                assertThat(security.path("allowPrivilegeEscalation").asBoolean(true)).as(where).isFalse();
                assertThat(security.path("capabilities").path("drop").toString()).as(where).contains("ALL");
                if (security.path("runAsUser").isInt()) {
                    assertThat(security.path("runAsUser").asInt()).as(where).isPositive();
                }
                if (!w.path("kind").asText().equals("Deployment")) {
                    continue; // a job's container runs to completion: no probes
                }
                Set<String> ports = new HashSet<>();
                for (JsonNode p : each(c.path("ports"))) {
                    ports.add(p.path("name").asText());
                    ports.add(p.path("containerPort").asText());
                }
                for (String probe : new String[] {"livenessProbe", "readinessProbe", "startupProbe"}) {
                    JsonNode get = c.path(probe).path("httpGet");
                    assertThat(get.isObject()).as("%s has no HTTP %s", where, probe).isTrue();
                    assertThat(ports).as("%s's %s port", where, probe).contains(get.path("port").asText());
                }
                assertThat(c.path("livenessProbe").path("httpGet").path("path").asText()).as(where).isEqualTo("/health/live");
                assertThat(c.path("readinessProbe").path("httpGet").path("path").asText()).as(where).isEqualTo("/health/ready");
                String scrapePort = podTemplate(w).path("metadata").path("annotations").path("prometheus.io/port").asText();
                assertThat(ports).as("%s is scraped on port %s", where, scrapePort).contains(scrapePort);
            }
        }
    }

    @Test
    void environmentVolumesAndKeysReferToWhatExists() {
        Set<String> known = DeployFiles.knownVariables();
        Map<String, Set<String>> configMaps = new HashMap<>();
        ofKind("ConfigMap").forEach(c -> configMaps.put(c.path("metadata").path("name").asText(),
                Set.copyOf(DeployFiles.list(c.path("data").fieldNames()))));
        Map<String, Set<String>> secrets = new HashMap<>();
        ofKind("Secret").forEach(s -> secrets.put(s.path("metadata").path("name").asText(),
                Set.copyOf(DeployFiles.list(s.path("stringData").fieldNames()))));
        configMaps.values().forEach(keys -> assertThat(known).containsAll(keys));
        secrets.values().forEach(keys -> assertThat(known).containsAll(keys));
        Set<String> claims = new HashSet<>();
        ofKind("PersistentVolumeClaim").forEach(p -> claims.add(p.path("metadata").path("name").asText()));
        for (JsonNode w : workloads()) {
            JsonNode pod = podTemplate(w).path("spec");
            Set<String> volumes = new HashSet<>();
            for (JsonNode v : each(pod.path("volumes"))) {
                volumes.add(v.path("name").asText());
                if (v.has("persistentVolumeClaim")) {
                    assertThat(claims).as(name(w)).contains(v.path("persistentVolumeClaim").path("claimName").asText());
                }
            }
            for (JsonNode c : each(pod.path("containers"))) {
                String where = name(w) + " container " + c.path("name").asText();
                for (JsonNode m : each(c.path("volumeMounts"))) {
                    assertThat(volumes).as("%s mounts an undeclared volume", where).contains(m.path("name").asText());
                }
                for (JsonNode e : each(c.path("env"))) {
                    String var = e.path("name").asText();
                    if (var.startsWith("RISKLOOP_")) {
                        assertThat(known).as("%s sets %s, which riskloop does not read (docs/operations.md)", where, var)
                                .contains(var);
                    }
                    JsonNode from = e.path("valueFrom");
                    if (from.has("configMapKeyRef")) {
                        JsonNode ref = from.path("configMapKeyRef");
                        assertThat(configMaps.getOrDefault(ref.path("name").asText(), Set.of())).as("%s: %s", where, ref)
                                .contains(ref.path("key").asText());
                    } else if (from.has("secretKeyRef")) {
                        JsonNode ref = from.path("secretKeyRef");
                        assertThat(secrets.getOrDefault(ref.path("name").asText(), Set.of())).as("%s: %s", where, ref)
                                .contains(ref.path("key").asText());
                    } else {
                        assertThat(e.has("value")).as("%s: %s", where, e).isTrue();
                    }
                }
            }
        }
    }

    @Test
    void theRetrainingJobRunsRetrainAndNeverTwiceAtOnce() {
        JsonNode job = named("CronJob", "riskloop-retrain");
        assertThat(job.path("spec").path("concurrencyPolicy").asText()).isEqualTo("Forbid");
        assertThat(job.path("spec").path("schedule").asText().split(" ")).hasSize(5);
        JsonNode container = podTemplate(job).path("spec").path("containers").path(0);
        assertThat(container.path("args").path(0).asText()).isEqualTo("retrain");
        assertThat(podTemplate(job).path("spec").path("restartPolicy").asText()).isIn("Never", "OnFailure");
    }
}
