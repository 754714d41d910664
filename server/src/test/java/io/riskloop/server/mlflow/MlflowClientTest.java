package io.riskloop.server.mlflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.riskloop.registry.Registry;
import io.riskloop.registry.artifact.ArtifactStore;
import io.riskloop.registry.models.AliasMove;
import io.riskloop.registry.models.ModelVersion;
import io.riskloop.registry.tracking.Run;
import io.riskloop.server.RiskloopServer;
import io.riskloop.store.testkit.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.api.proto.ModelRegistry;
import org.mlflow.api.proto.Service;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowHttpException;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The official MLflow Java client (org.mlflow:mlflow-client) against a live riskloop server: what it logs and
 * registers is an ordinary riskloop run and model, seen by riskloop's own API and registry.
 */
class MlflowClientTest {

    @RegisterExtension
    static final TestPostgres POSTGRES = new TestPostgres();

    @TempDir
    static Path dir;

    static Registry registry;
    static RiskloopServer server;
    static MlflowClient client;
    static String token;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() {
        registry = Registry.open(POSTGRES.database(), new ArtifactStore(dir), Clock.systemUTC());
        io.riskloop.server.ServerParts parts = io.riskloop.server.ServerParts.of(registry, Clock.systemUTC());
        token = parts.keys().create("trainer", io.riskloop.server.auth.Role.SERVICE, "test").secret();
        server = RiskloopServer.start(parts, "127.0.0.1", 0);
        // what MLflow clients send from MLFLOW_TRACKING_TOKEN
        client = new MlflowClient(new org.mlflow.tracking.creds.BasicMlflowHostCreds("http://127.0.0.1:" + server.port(),
                token));
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    @Test
    void mlflowsJavaClientTracksARunRegistersAVersionAndSetsAnAlias() throws Exception {
        String expId = client.createExperiment("mlflow-java-client");
        assertThat(client.getExperimentByName("mlflow-java-client")).map(Service.Experiment::getExperimentId)
                .contains(expId);
        assertThat(client.getExperimentByName("no-such-experiment")).isEqualTo(Optional.empty());
        assertThat(client.getExperiment(expId).getName()).isEqualTo("mlflow-java-client");

        Service.RunInfo info = client.createRun(expId);
        String runId = info.getRunId();
        client.logParam(runId, "max_depth", "6");
        client.logMetric(runId, "auc_roc", 0.91, 1_700_000_000_000L, 0);
        client.logBatch(runId,
                List.of(Service.Metric.newBuilder().setKey("loss").setValue(0.40).setTimestamp(1_700_000_000_000L).setStep(0).build(),
                        Service.Metric.newBuilder().setKey("loss").setValue(0.25).setTimestamp(1_700_000_001_000L).setStep(1).build()),
                List.of(Service.Param.newBuilder().setKey("learning_rate").setValue("0.3").build()),
                List.of(Service.RunTag.newBuilder().setKey("team").setValue("risk").build()));
        client.setTag(runId, "purpose", "compatibility");
        client.setTerminated(runId, Service.RunStatus.FINISHED, 1_700_000_002_000L);

        Service.Run run = client.getRun(runId);
        assertThat(run.getInfo().getStatus()).isEqualTo(Service.RunStatus.FINISHED);
        assertThat(run.getInfo().getEndTime()).isEqualTo(1_700_000_002_000L);
        assertThat(run.getData().getParamsList()).extracting(Service.Param::getKey)
                .containsExactlyInAnyOrder("max_depth", "learning_rate");
        assertThat(run.getData().getMetricsList()).filteredOn(m -> m.getKey().equals("loss")).singleElement()
                .extracting(Service.Metric::getValue).isEqualTo(0.25);
        assertThat(client.getMetricHistory(runId, "loss")).extracting(Service.Metric::getStep).containsExactly(0L, 1L);
        assertThat(client.searchRuns(List.of(expId), "metrics.auc_roc > 0.9 and params.max_depth = '6'"))
                .extracting(Service.RunInfo::getRunId).containsExactly(runId);
        assertThat(client.searchRuns(List.of(expId), "metrics.auc_roc < 0.5")).isEmpty();

        // the registry calls beyond the client's typed API, on MLflow's documented paths
        client.sendPost("registered-models/create", "{\"name\": \"mlflow-model\", \"description\": \"from MLflow\"}");
        JsonNode created = JSON.readTree(client.sendPost("model-versions/create", JSON.createObjectNode()
                .put("name", "mlflow-model").put("source", "runs:/" + runId + "/model").put("run_id", runId).toString()));
        assertThat(created.at("/model_version/version").asText()).isEqualTo("1");
        client.sendPost("registered-models/alias",
                "{\"name\": \"mlflow-model\", \"alias\": \"champion\", \"version\": \"1\"}");

        ModelRegistry.ModelVersion mv = client.getModelVersion("mlflow-model", "1");
        assertThat(mv.getRunId()).isEqualTo(runId);
        assertThat(mv.getSource()).isEqualTo("runs:/" + runId + "/model");
        assertThat(mv.getAliasesList()).containsExactly("champion");
        assertThat(client.getRegisteredModel("mlflow-model").getDescription()).isEqualTo("from MLflow");
        assertThat(client.getLatestVersions("mlflow-model")).extracting(ModelRegistry.ModelVersion::getVersion)
                .containsExactly("1");
        assertThat(client.searchModelVersions("name='mlflow-model'").getItems()).hasSize(1);
        assertThat(client.getModelVersionDownloadUri("mlflow-model", "1")).isEqualTo("runs:/" + runId + "/model");
        JsonNode byAlias = JSON.readTree(client.sendGet("registered-models/alias?name=mlflow-model&alias=champion"));
        assertThat(byAlias.at("/model_version/version").asText()).isEqualTo("1");

        // riskloop's own registry sees an ordinary run and model, alias move recorded
        Run ours = registry.tracking().run(runId);
        assertThat(ours.params()).containsEntry("max_depth", "6");
        assertThat(ours.metric("auc_roc")).isEqualTo(0.91);
        assertThat(ours.tags()).containsEntry("team", "risk");
        ModelVersion champion = registry.models().versionByAlias("mlflow-model", "champion");
        assertThat(champion.runId()).isEqualTo(runId);
        assertThat(champion.metrics()).as("taken from the run").containsEntry("auc_roc", 0.91);
        assertThat(registry.models().history("mlflow-model", "champion")).singleElement()
                .extracting(AliasMove::actor, AliasMove::toVersion).containsExactly("trainer", 1);
        // audited as an alias move, once, by the key's name
        var audit = new io.riskloop.store.audit.AuditLog(POSTGRES.database(), Clock.systemUTC());
        assertThat(audit.about("model:mlflow-model@champion")).singleElement().satisfies(e -> {
            assertThat(e.action()).isEqualTo("alias.set");
            assertThat(e.actor()).isEqualTo("trainer");
            assertThat(e.after()).isEqualToIgnoringWhitespace("{\"version\": 1}");
        });
        assertThat(audit.recent("mlflow:registered-models/alias", null, null, 10)).isEmpty();

        // and riskloop's HTTP API shows them
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> model = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                + "/api/models/mlflow-model")).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(model.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(model.body());
        assertThat(body.at("/model/aliases/champion").asInt()).isEqualTo(1);
        assertThat(body.at("/versions/0/run_id").asText()).isEqualTo(runId);
        HttpResponse<String> runJson = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                + "/api/runs/" + runId)).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(JSON.readTree(runJson.body()).at("/run/params/learning_rate").asText()).isEqualTo("0.3");
    }

    @Test
    void refusalsComeInMlflowsErrorShapeWithItsStatusCodes() throws Exception {
        client.createExperiment("twice");
        assertThatThrownBy(() -> client.createExperiment("twice"))
                .isInstanceOfSatisfying(MlflowHttpException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(400);
                    assertThat(errorCode(e)).isEqualTo("RESOURCE_ALREADY_EXISTS");
                });
        assertThatThrownBy(() -> client.getRun("0123456789abcdef0123456789abcdef"))
                .isInstanceOfSatisfying(MlflowHttpException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(404);
                    assertThat(errorCode(e)).isEqualTo("RESOURCE_DOES_NOT_EXIST");
                });
        String runId = client.createRun().getRunId(); // MLflow's default experiment "0"
        client.logParam(runId, "alpha", "1");
        assertThatThrownBy(() -> client.logParam(runId, "alpha", "2"))
                .isInstanceOfSatisfying(MlflowHttpException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(400);
                    assertThat(errorCode(e)).isEqualTo("INVALID_PARAMETER_VALUE");
                    assertThat(e.getBodyMessage()).contains("alpha");
                });
        assertThatThrownBy(() -> client.sendPost("registered-models/create", "{\"name\": \"bad/name\"}"))
                .isInstanceOfSatisfying(MlflowHttpException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(400);
                    assertThat(errorCode(e)).isEqualTo("INVALID_PARAMETER_VALUE");
                });
        assertThatThrownBy(() -> client.sendGet("registered-models/alias?name=nobody&alias=champion"))
                .isInstanceOfSatisfying(MlflowHttpException.class, e -> assertThat(e.getStatusCode()).isEqualTo(404));
        assertThatThrownBy(() -> client.sendPost("no-such/endpoint", "{}"))
                .isInstanceOfSatisfying(MlflowHttpException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(404);
                    assertThat(errorCode(e)).isEqualTo("ENDPOINT_NOT_FOUND");
                });
        assertThatThrownBy(() -> client.sendPost("runs/log-metric", "{not json"))
                .isInstanceOfSatisfying(MlflowHttpException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(400);
                    assertThat(e.getBodyMessage()).contains("not valid JSON").doesNotContain("\tat ");
                });
    }

    private static String errorCode(MlflowHttpException e) {
        try {
            return JSON.readTree(e.getBodyMessage()).get("error_code").asText();
        } catch (Exception x) {
            throw new AssertionError("not MLflow's error shape: " + e.getBodyMessage(), x);
        }
    }
}
