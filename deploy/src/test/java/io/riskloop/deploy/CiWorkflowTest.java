package io.riskloop.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.riskloop.deploy.DeployFiles.each;
import static org.assertj.core.api.Assertions.assertThat;

/** .github/workflows/ci.yml: tests on push and pull requests, builds the image, publishes it on version tags. */
class CiWorkflowTest {

    static final JsonNode WORKFLOW = DeployFiles.yamlDocument(DeployFiles.ROOT.resolve(".github/workflows/ci.yml"));
    static final JsonNode JOBS = WORKFLOW.path("jobs");

    static String runs(JsonNode job) {
        List<String> commands = new ArrayList<>();
        each(job.path("steps")).forEach(s -> commands.add(s.path("run").asText("")));
        return String.join("\n", commands);
    }

    @Test
    void itRunsOnPushesTagsAndPullRequests() {
        JsonNode on = WORKFLOW.path("on");
        assertThat(on.isObject()).as("'on' must be read as a key, not YAML 1.1's boolean").isTrue();
        assertThat(on.has("push")).isTrue();
        assertThat(on.has("pull_request")).isTrue();
        assertThat(on.path("push").path("tags").toString()).contains("v*");
        assertThat(WORKFLOW.path("permissions").path("contents").asText()).isEqualTo("read");
    }

    @Test
    void theTestJobRunsWhatCiRunsOnTemurin21() {
        JsonNode test = JOBS.path("test");
        assertThat(runs(test)).contains("bash .ci/run");
        JsonNode java = setupJava(test);
        assertThat(java.path("with").path("distribution").asText()).isEqualTo("temurin");
        assertThat(java.path("with").path("java-version").asText()).isEqualTo("21");
        assertThat(test.path("timeout-minutes").asInt()).isBetween(1, 90);
    }

    @Test
    void theImageIsBuiltAfterTheTestsAndPublishedToGhcrOnTagsOnly() {
        JsonNode image = JOBS.path("image");
        assertThat(image.path("needs").toString()).contains("test");
        assertThat(runs(image)).contains("deploy/build-image.sh");
        assertThat(image.path("steps").toString()).contains("target/riskloop-image.tar");

        JsonNode publish = JOBS.path("publish");
        assertThat(publish.path("if").asText()).contains("refs/tags/v");
        assertThat(publish.path("needs").toString()).contains("test");
        assertThat(publish.path("permissions").path("packages").asText()).isEqualTo("write");
        assertThat(runs(publish)).contains("deploy/build-image.sh --push", "ghcr.io/");
        assertThat(publish.path("steps").toString()).contains("secrets.GITHUB_TOKEN");
        setupJava(image);
        setupJava(publish);
    }

    @Test
    void everyActionIsPinnedToAVersion() {
        for (JsonNode job : (Iterable<JsonNode>) JOBS::elements) {
            for (JsonNode step : each(job.path("steps"))) {
                if (step.has("uses")) {
                    assertThat(step.path("uses").asText()).matches("[\\w-]+/[\\w-]+@v\\d+(\\.\\d+)*|[\\w-]+/[\\w-]+@[0-9a-f]{40}");
                }
            }
        }
    }

    @Test
    void ciInstallsPromtoolForTheRulesTests() {
        assertThat(DeployFiles.read(DeployFiles.ROOT.resolve(".ci/run"))).contains("promtool", "prometheus");
    }

    private static JsonNode setupJava(JsonNode job) {
        for (JsonNode step : each(job.path("steps"))) {
            if (step.path("uses").asText().startsWith("actions/setup-java@")) {
                assertThat(step.path("with").path("distribution").asText()).isEqualTo("temurin");
                assertThat(step.path("with").path("java-version").asText()).isEqualTo("21");
                return step;
            }
        }
        throw new AssertionError("no actions/setup-java step in " + job);
    }
}
