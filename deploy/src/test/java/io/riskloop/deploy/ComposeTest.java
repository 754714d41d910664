package io.riskloop.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.Set;

import static io.riskloop.deploy.DeployFiles.each;
import static io.riskloop.deploy.DeployFiles.fieldNames;
import static org.assertj.core.api.Assertions.assertThat;

/** deploy/compose.yaml: the services, their health checks, configuration and volumes fit together. */
class ComposeTest {

    static final JsonNode COMPOSE = DeployFiles.yamlDocument(DeployFiles.DEPLOY.resolve("compose.yaml"));
    static final JsonNode SERVICES = COMPOSE.path("services");

    @Test
    void theStackHasEveryPart() {
        assertThat(DeployFiles.list(SERVICES.fieldNames())).containsExactlyInAnyOrder("kafka", "postgres",
                "bootstrap-model", "processor", "api", "prometheus", "grafana");
        assertThat(SERVICES.path("processor").path("command").toString()).isEqualTo("[\"process\"]");
        assertThat(SERVICES.path("api").path("command").toString()).isEqualTo("[\"serve\"]");
        assertThat(SERVICES.path("kafka").path("environment").path("KAFKA_PROCESS_ROLES").asText())
                .isEqualTo("broker,controller");
    }

    @Test
    void everyLongRunningServiceHasAHealthCheckAndWhatWaitsForItWaitsForTheRightCondition() {
        for (String name : fieldNames(SERVICES)) {
            JsonNode s = SERVICES.path(name);
            if (!name.equals("bootstrap-model")) {
                assertThat(s.path("healthcheck").path("test").isMissingNode()).as("%s has no healthcheck", name).isFalse();
            }
            for (String dep : fieldNames(s.path("depends_on"))) {
                assertThat(SERVICES.has(dep)).as("%s depends on unknown %s", name, dep).isTrue();
                String condition = s.path("depends_on").path(dep).path("condition").asText();
                assertThat(condition).as("%s on %s", name, dep).isEqualTo(dep.equals("bootstrap-model")
                        ? "service_completed_successfully" : "service_healthy");
            }
        }
        assertThat(SERVICES.path("processor").path("healthcheck").toString()).contains("/dev/tcp/127.0.0.1/8081",
                "/health/ready");
        assertThat(SERVICES.path("api").path("healthcheck").toString()).contains("/dev/tcp/127.0.0.1/8080",
                "/health/ready");
    }

    @Test
    void riskloopIsConfiguredByVariablesItReads() {
        Set<String> known = DeployFiles.knownVariables();
        for (String name : new String[] {"bootstrap-model", "processor", "api"}) {
            JsonNode env = SERVICES.path(name).path("environment");
            assertThat(env.isObject()).as(name).isTrue();
            for (String key : fieldNames(env)) {
                if (key.startsWith("RISKLOOP_")) {
                    assertThat(known).as("%s sets %s, which riskloop does not read (docs/operations.md)", name, key)
                            .contains(key);
                }
            }
            assertThat(env.path("RISKLOOP_KAFKA").asText()).isEqualTo("kafka:9092");
            assertThat(env.path("RISKLOOP_DB_URL").asText()).isEqualTo("jdbc:postgresql://postgres:5432/riskloop");
            assertThat(env.has("RISKLOOP_TOKEN_KEY")).as(name).isTrue();
            assertThat(SERVICES.path(name).path("volumes").toString()).as(name).contains("riskloop-data:/var/lib/riskloop");
        }
        assertThat(SERVICES.path("processor").path("environment").path("RISKLOOP_HTTP_PORT").asInt()).isEqualTo(8081);
        // scaled processors must not share a state directory
        assertThat(SERVICES.path("processor").path("environment").path("RISKLOOP_STATE_DIR").asText()).startsWith("/tmp/");
    }

    @Test
    void namedVolumesAreDeclaredAndMountedFilesExist() {
        Set<String> declared = Set.copyOf(DeployFiles.list(COMPOSE.path("volumes").fieldNames()));
        for (String name : fieldNames(SERVICES)) {
            for (JsonNode v : each(SERVICES.path(name).path("volumes"))) {
                String source = v.asText().split(":")[0];
                if (source.startsWith(".")) {
                    assertThat(Files.exists(DeployFiles.DEPLOY.resolve(source))).as("%s mounts %s", name, source).isTrue();
                } else {
                    assertThat(declared).as("%s mounts undeclared volume %s", name, source).contains(source);
                }
            }
        }
        assertThat(SERVICES.path("prometheus").path("volumes").toString()).contains("./prometheus:/etc/prometheus:ro");
        assertThat(SERVICES.path("prometheus").path("command").toString())
                .contains("--config.file=/etc/prometheus/prometheus.yml");
    }
}
