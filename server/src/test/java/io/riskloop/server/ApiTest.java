package io.riskloop.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.riskloop.core.domain.LabeledTransaction;
import io.riskloop.core.domain.Transaction;
import io.riskloop.server.auth.Role;
import io.riskloop.store.decisions.StoredDecision;
import io.riskloop.store.testkit.TestPostgres;
import io.riskloop.stream.TransactionJson;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API end to end on real parts: transactions sent over HTTP go through the broker and the decision pipeline into
 * the store; the server scores on live features, searches, explains, labels, manages keys and models, and refuses
 * what it should, each refusal naming the field or the missing right.
 */
class ApiTest {

    @RegisterExtension
    static final TestPostgres POSTGRES = new TestPostgres();

    @TempDir
    static Path dir;
    static Stack stack;
    static List<LabeledTransaction> rows;
    static final int N = 300;

    @BeforeAll
    static void start() throws Exception {
        stack = Stack.start(POSTGRES.database(), dir, true);
        rows = Stack.rows().subList(Stack.rows().size() - 2 * N, Stack.rows().size());
        for (int i = 0; i < N; i++) {
            Stack.Response r = stack.call(Role.SERVICE, "POST", "/api/v1/transactions",
                    TransactionJson.write(rows.get(i).transaction()));
            assertThat(r.status()).as(r.raw()).isEqualTo(202);
        }
        Stack.await(N + " decisions stored", () -> stack.parts.decisions().counts().get("decisions") == N);
        Stack.await("live features caught up", () -> stack.live().status().decisionsApplied() == N);
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    static void assertProblem(Stack.Response r, int status, String field) {
        assertThat(r.status()).as(r.raw()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.body().get("status").asInt()).isEqualTo(status);
        assertThat(r.body().get("detail").asText()).isNotBlank();
        if (field != null) {
            assertThat(r.body().get("errors")).as(r.raw()).extracting(e -> e.get("field").asText()).contains(field);
        }
        assertThat(r.raw()).doesNotContain("\tat ", "Exception");
    }

    static String tx(int i) {
        return TransactionJson.write(rows.get(i).transaction());
    }

    static ObjectNode txNode(int i) throws Exception {
        return (ObjectNode) Stack.JSON.readTree(tx(i));
    }

    @Test
    void everyCallNeedsAKeyAndTheRightRole() throws Exception {
        for (String path : List.of("/api/v1/transactions", "/api/v1/models", "/api/models", "/api/v1/audit")) {
            Stack.Response r = stack.call(null, "GET", path, null);
            assertProblem(r, 401, null);
            assertThat(r.http().headers().firstValue("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h)
                    .startsWith("Bearer"));
        }
        assertProblem(stack.call(null, "POST", "/api/v1/score", tx(N)), 401, null);
        assertProblem(stack.send("Bearer rlk_not-a-key-not-a-key-not-a-key-000", "GET", "/api/v1/models", null),
                401, null);
        // roles: analysts review, services integrate, admins administer
        assertProblem(stack.call(Role.ANALYST, "POST", "/api/v1/score", tx(N)), 403, null);
        assertProblem(stack.call(Role.ANALYST, "POST", "/api/v1/transactions", tx(N)), 403, null);
        assertProblem(stack.call(Role.SERVICE, "GET", "/api/v1/keys", null), 403, null);
        assertProblem(stack.call(Role.SERVICE, "GET", "/api/v1/audit", null), 403, null);
        assertProblem(stack.call(Role.ANALYST, "PUT", "/api/v1/models/fraud/aliases/champion",
                "{\"version\": 1, \"reason\": \"x\"}"), 403, null);
        assertProblem(stack.call(Role.SERVICE, "POST", "/api/v1/keys", "{\"name\": \"x\", \"role\": \"admin\"}"), 403,
                null);
        Stack.Response forbidden = stack.call(Role.ANALYST, "POST", "/api/v1/score", tx(N));
        assertThat(forbidden.body().get("detail").asText()).contains("admin or service", "test-analyst", "analyst");
        // the MLflow API answers in MLflow's shape; analysts may read, not write
        Stack.Response mlflow = stack.call(Role.ANALYST, "POST", "/api/2.0/mlflow/experiments/create",
                "{\"name\": \"nope\"}");
        assertThat(mlflow.status()).isEqualTo(403);
        assertThat(mlflow.body().get("error_code").asText()).isEqualTo("PERMISSION_DENIED");
        assertThat(stack.call(null, "GET", "/api/2.0/mlflow/experiments/get-by-name?experiment_name=test", null)
                .body().get("error_code").asText()).isEqualTo("UNAUTHENTICATED");
        assertThat(stack.call(Role.ANALYST, "GET", "/api/2.0/mlflow/experiments/get-by-name?experiment_name=test",
                null).status()).isEqualTo(200);
        // other ways to present a key: X-API-Key, and basic authentication with the key as password (MLflow clients)
        String key = stack.keys.get(Role.ANALYST);
        var viaHeader = Stack.HTTP.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                stack.url("/api/v1/models"))).header("X-API-Key", key).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(viaHeader.statusCode()).isEqualTo(200);
        String basic = "Basic " + Base64.getEncoder().encodeToString(("ann:" + key).getBytes());
        assertThat(stack.send(basic, "GET", "/api/v1/models", null).status()).isEqualTo(200);
        // and what needs no key
        for (String path : List.of("/health/live", "/health/ready", "/metrics", "/openapi.json", "/docs")) {
            assertThat(stack.call(null, "GET", path, null).status()).as(path).isEqualTo(200);
        }
    }

    @Test
    void malformedRequestsAreRefusedNamingTheField() throws Exception {
        assertProblem(stack.call(Role.SERVICE, "POST", "/api/v1/score", "{broken"), 400, "body");
        assertProblem(stack.call(Role.SERVICE, "POST", "/api/v1/score", ""), 400, "body");
        ObjectNode noAmount = txNode(N);
        noAmount.remove("amount");
        assertProblem(stack.call(Role.SERVICE, "POST", "/api/v1/score", noAmount.toString()), 400, "amount");
        assertProblem(stack.call(Role.SERVICE, "POST", "/api/v1/score", txNode(N).put("amount", "12").toString()), 400,
                "amount");
        assertProblem(stack.call(Role.SERVICE, "POST", "/api/v1/score", txNode(N).put("amount", -1).toString()), 400,
                "amount");
        assertProblem(stack.call(Role.SERVICE, "POST", "/api/v1/score", txNode(N).put("timestamp", "yesterday")
                .toString()), 400, "timestamp");
        assertProblem(stack.call(Role.SERVICE, "POST", "/api/v1/score", txNode(N).put("card_number", "4111111111111111")
                .toString()), 400, "card_number");
        assertProblem(stack.call(Role.SERVICE, "POST", "/api/v1/score", txNode(N).put("currency", "euro").toString()),
                400, "currency");
        assertProblem(stack.call(Role.SERVICE, "POST", "/api/v1/score?explain=maybe", tx(N)), 400, "explain");
        assertProblem(stack.call(Role.SERVICE, "POST", "/api/v1/score?features=yes", tx(N)), 400, "features");
        assertProblem(stack.call(Role.SERVICE, "POST", "/api/v1/score/batch", "{\"transactions\": 3}"), 400,
                "transactions");
        ArrayNode items = Stack.JSON.createArrayNode().add(txNode(N)).add(txNode(N + 1).put("amount", "x"));
        assertProblem(stack.call(Role.SERVICE, "POST", "/api/v1/score/batch", "{\"transactions\": " + items + "}"), 400,
                "transactions[1].amount");
        ArrayNode many = Stack.JSON.createArrayNode();
        for (int i = 0; i < 1001; i++) {
            many.add(Stack.JSON.createObjectNode());
        }
        assertProblem(stack.call(Role.SERVICE, "POST", "/api/v1/score/batch", "{\"transactions\": " + many + "}"), 400,
                "transactions");
        assertProblem(stack.call(Role.SERVICE, "POST", "/api/v1/transactions", txNode(N).put("transaction_id", "")
                .toString()), 400, "transaction_id");
        // searches
        for (String[] q : new String[][] {{"decision=maybe", "decision"}, {"label=perhaps", "label"},
                {"min_score=2", "min_score"}, {"max_score=x", "max_score"}, {"limit=0", "limit"}, {"from=today", "from"},
                {"from=2018-06-01T00:00:00Z&to=2018-05-01T00:00:00Z", "to"}, {"order=random", "order"},
                {"page_token=garbage", "page_token"}, {"card_number=12", "card_number"}}) {
            assertProblem(stack.call(Role.ANALYST, "GET", "/api/v1/transactions?" + q[0], null), 400, q[1]);
        }
        // labels
        String id = rows.get(0).transaction().id();
        String labels = "/api/v1/transactions/" + id + "/labels";
        assertProblem(stack.call(Role.ANALYST, "POST", labels, "{}"), 400, "fraud");
        assertProblem(stack.call(Role.ANALYST, "POST", labels, "{\"fraud\": \"yes\"}"), 400, "fraud");
        assertProblem(stack.call(Role.ANALYST, "POST", labels, "{\"fraud\": true, \"source\": \"rumour\"}"), 400,
                "source");
        assertProblem(stack.call(Role.ANALYST, "POST", labels, "{\"fraud\": true, \"comment\": \"" + "x".repeat(2001)
                + "\"}"), 400, "comment");
        assertProblem(stack.call(Role.ANALYST, "POST", labels, "{\"fraud\": true, \"known_at\": \"soon\"}"), 400,
                "known_at");
        assertProblem(stack.call(Role.ANALYST, "POST", labels, "{\"fraud\": true, \"verdict\": 1}"), 400, "verdict");
        assertProblem(stack.call(Role.ANALYST, "POST", labels, "[true]"), 400, "body");
        assertProblem(stack.call(Role.ANALYST, "POST", "/api/v1/transactions/no-such-tx/labels", "{\"fraud\": true}"),
                404, "id");
        assertProblem(stack.call(Role.ANALYST, "GET", "/api/v1/transactions/no-such-tx", null), 404, "id");
        // keys
        assertProblem(stack.call(Role.ADMIN, "POST", "/api/v1/keys", "{\"name\": \"x\", \"role\": \"boss\"}"), 400,
                "role");
        assertProblem(stack.call(Role.ADMIN, "POST", "/api/v1/keys", "{\"name\": \"has space\", \"role\": \"analyst\"}"),
                400, "name");
        assertProblem(stack.call(Role.ADMIN, "POST", "/api/v1/keys", "{}"), 400, "role");
        assertProblem(stack.call(Role.ADMIN, "DELETE", "/api/v1/keys/nobody", null), 404, "name");
        assertProblem(stack.call(Role.ANALYST, "GET", "/api/v1/audit?limit=many", null), 400, "limit");
        // size limit
        String huge = txNode(N).put("note", "x".repeat((int) RiskloopServer.MAX_REQUEST_BYTES)).toString();
        assertProblem(stack.call(Role.SERVICE, "POST", "/api/v1/score", huge), 413, null);
        assertProblem(stack.call(Role.ANALYST, "GET", "/api/v1/nothing-here", null), 404, null);
    }

    @Test
    void aScoreIsThePipelinesDecisionForTheSameTransactionAtTheSamePoint() throws Exception {
        Transaction next = rows.get(N).transaction();
        Stack.Response quick = stack.call(Role.SERVICE, "POST", "/api/v1/score?features=true", tx(N));
        assertThat(quick.status()).as(quick.raw()).isEqualTo(200);
        JsonNode s = quick.body();
        assertThat(s.get("transaction_id").asText()).isEqualTo(next.id());
        assertThat(s.get("model_version").asText()).isEqualTo("fraud/" + stack.champion.version());
        assertThat(s.get("explanation").get("method").asText()).isEqualTo("saabas");
        assertThat(s.get("explanation").get("top")).hasSize(5);
        assertThat(s.get("reasons")).isNotEmpty();
        String expected = s.get("score").asDouble() >= 0.97 ? "DECLINE" : s.get("score").asDouble() >= 0.05
                ? "REVIEW" : "APPROVE";
        assertThat(s.get("decision").asText()).isEqualTo(expected);
        JsonNode exact = stack.call(Role.ADMIN, "POST", "/api/v1/score?explain=exact", tx(N)).body();
        assertThat(exact.get("explanation").get("method").asText()).isEqualTo("tree_shap");
        assertThat(exact.get("score").asDouble()).isEqualTo(s.get("score").asDouble());
        assertThat(stack.call(Role.SERVICE, "POST", "/api/v1/score?explain=none", tx(N)).body().has("explanation"))
                .isFalse();

        // the pipeline, given the same transaction now, decides it with the same features and score
        assertThat(stack.call(Role.SERVICE, "POST", "/api/v1/transactions", tx(N)).status()).isEqualTo(202);
        Stack.await("the decision of " + next.id(), () -> stack.parts.decisions().find(next.id()).isPresent());
        StoredDecision d = stack.parts.decisions().find(next.id()).orElseThrow();
        assertThat(d.decision().score()).isEqualTo(s.get("score").asDouble());
        assertThat(d.decision().decision().name()).isEqualTo(s.get("decision").asText());
        for (int j = 0; j < d.decision().featureNames().size(); j++) {
            JsonNode v = s.get("features").get(d.decision().featureNames().get(j));
            double live = v.isNull() ? Double.NaN : v.asDouble();
            assertThat(live).as(d.decision().featureNames().get(j)).isEqualTo(d.decision().features()[j]);
        }

        // a batch: one result per transaction, in order; a card number is tokenised at the edge
        ArrayNode items = Stack.JSON.createArrayNode().add(txNode(N + 1)).add(txNode(N + 2));
        ObjectNode withNumber = txNode(N + 3);
        withNumber.remove("card_id");
        withNumber.put("card_number", "4111 1111 1111 1111");
        items.add(withNumber);
        JsonNode batch = stack.call(Role.SERVICE, "POST", "/api/v1/score/batch", "{\"transactions\": " + items + "}")
                .body();
        assertThat(batch.get("results")).extracting(r -> r.get("transaction_id").asText()).containsExactly(
                rows.get(N + 1).transaction().id(), rows.get(N + 2).transaction().id(),
                rows.get(N + 3).transaction().id());
        assertThat(batch.get("results").get(2).get("card_id").asText())
                .isEqualTo(Stack.TOKENIZER.tokenize("4111111111111111")).doesNotContain("4111");
    }

    @Test
    void transactionsAreSearchedPagedAndExplained() throws Exception {
        JsonNode first = stack.call(Role.ANALYST, "GET", "/api/v1/transactions?decision=review&order=score&limit=5",
                null).body();
        assertThat(first.get("items")).hasSize(5);
        List<Double> scores = new ArrayList<>();
        first.get("items").forEach(i -> scores.add(i.get("score").asDouble()));
        assertThat(scores).isSortedAccordingTo((a, b) -> Double.compare(b, a));
        String token = first.get("next_page_token").asText();
        JsonNode second = stack.call(Role.ANALYST, "GET", "/api/v1/transactions?decision=review&order=score&limit=5"
                + "&page_token=" + token, null).body();
        Set<String> ids = new HashSet<>();
        first.get("items").forEach(i -> ids.add(i.get("transaction_id").asText()));
        second.get("items").forEach(i -> assertThat(ids.add(i.get("transaction_id").asText())).isTrue());
        assertThat(second.get("items").get(0).get("score").asDouble()).isLessThanOrEqualTo(scores.get(4));

        String card = rows.get(0).transaction().cardId();
        JsonNode byCard = stack.call(Role.SERVICE, "GET", "/api/v1/transactions?card_id=" + card + "&limit=500", null)
                .body();
        long expected = rows.subList(0, N).stream().filter(r -> r.transaction().cardId().equals(card)).count();
        assertThat(byCard.get("items")).hasSize((int) expected)
                .allSatisfy(i -> assertThat(i.get("card_id").asText()).isEqualTo(card));

        String id = first.get("items").get(0).get("transaction_id").asText();
        JsonNode detail = stack.call(Role.ANALYST, "GET", "/api/v1/transactions/" + id, null).body();
        assertThat(detail.at("/transaction/decision").asText()).isEqualTo("REVIEW");
        assertThat(detail.get("features")).hasSize(15);
        assertThat(detail.at("/explanation/method").asText()).isEqualTo("tree_shap");
        assertThat(detail.at("/explanation/unavailable").isNull()).isTrue();
        double sum = detail.at("/explanation/bias").asDouble();
        for (JsonNode f : detail.get("features")) {
            sum += f.get("contribution").asDouble();
        }
        assertThat(sum).as("contributions add up to the margin").isCloseTo(detail.at("/explanation/margin").asDouble(),
                org.assertj.core.data.Offset.offset(1e-4));
        double p = 1 / (1 + Math.exp(-detail.at("/explanation/margin").asDouble()));
        assertThat(p).as("the margin is the stored score's").isCloseTo(detail.at("/transaction/score").asDouble(),
                org.assertj.core.data.Offset.offset(1e-5));
        assertThat(detail.get("card_history")).allSatisfy(h -> assertThat(h.get("card_id").asText())
                .isEqualTo(detail.at("/transaction/card_id").asText()));
    }

    @Test
    void aLabelIsStoredPublishedAuditedAndLeavesTheQueue() throws Exception {
        JsonNode queue = stack.call(Role.ANALYST, "GET",
                "/api/v1/transactions?decision=review&label=unlabelled&order=score&limit=1", null).body();
        String id = queue.at("/items/0/transaction_id").asText();
        long labelsBefore = stack.live().status().labelsApplied();
        Stack.Response r = stack.call(Role.ANALYST, "POST", "/api/v1/transactions/" + id + "/labels",
                "{\"fraud\": true, \"comment\": \"customer confirmed\"}");
        assertThat(r.status()).as(r.raw()).isEqualTo(201);
        assertThat(r.body().get("author").asText()).isEqualTo("test-analyst");
        assertThat(r.body().get("source").asText()).isEqualTo("analyst");
        JsonNode detail = stack.call(Role.ANALYST, "GET", "/api/v1/transactions/" + id, null).body();
        assertThat(detail.at("/transaction/label").asBoolean()).isTrue();
        assertThat(detail.get("labels")).singleElement().satisfies(l -> assertThat(l.get("comment").asText())
                .isEqualTo("customer confirmed"));
        JsonNode after = stack.call(Role.ANALYST, "GET",
                "/api/v1/transactions?decision=review&label=unlabelled&order=score&limit=500", null).body();
        after.get("items").forEach(i -> assertThat(i.get("transaction_id").asText()).isNotEqualTo(id));
        JsonNode audit = stack.call(Role.ANALYST, "GET", "/api/v1/audit?subject=transaction:" + id, null).body();
        assertThat(audit.get("entries")).singleElement().satisfies(e -> {
            assertThat(e.get("actor").asText()).isEqualTo("test-analyst");
            assertThat(e.get("action").asText()).isEqualTo("label.set");
            assertThat(e.get("before").asText()).contains("null");
            assertThat(e.get("after").asText()).contains("fraud");
        });
        // the label reached the labels topic, which live features read
        Stack.await("the label applied to live features", () -> stack.live().status().labelsApplied() > labelsBefore);
        // a service labels as "api" (e.g. a chargeback feed)
        Stack.Response chargeback = stack.call(Role.SERVICE, "POST", "/api/v1/transactions/" + id + "/labels",
                "{\"fraud\": false}");
        assertThat(chargeback.body().get("source").asText()).isEqualTo("api");
        assertThat(stack.call(Role.ANALYST, "GET", "/api/v1/transactions/" + id, null).body().get("labels")).hasSize(2);
    }

    @Test
    void keysAreMadeUsedAndRevokedWithAnAuditTrail() throws Exception {
        Stack.Response made = stack.call(Role.ADMIN, "POST", "/api/v1/keys", "{\"name\": \"ann\", \"role\": \"analyst\"}");
        assertThat(made.status()).as(made.raw()).isEqualTo(201);
        String secret = made.body().get("secret").asText();
        assertThat(secret).startsWith("rlk_").hasSizeGreaterThan(40);
        assertThat(made.raw()).doesNotContain("hash");
        assertThat(stack.send("Bearer " + secret, "GET", "/api/v1/transactions?limit=1", null).status()).isEqualTo(200);
        assertThat(stack.send("Bearer " + secret, "GET", "/api/v1/keys", null).status()).isEqualTo(403);
        JsonNode list = stack.call(Role.ADMIN, "GET", "/api/v1/keys", null).body();
        assertThat(list).extracting(k -> k.get("name").asText()).contains("ann", "test-admin");
        assertThat(list.toString()).doesNotContain(secret);
        assertProblem(stack.call(Role.ADMIN, "POST", "/api/v1/keys", "{\"name\": \"ann\", \"role\": \"admin\"}"), 400,
                "name");
        assertThat(stack.call(Role.ADMIN, "DELETE", "/api/v1/keys/ann", null).status()).isEqualTo(200);
        assertProblem(stack.send("Bearer " + secret, "GET", "/api/v1/transactions?limit=1", null), 401, null);
        JsonNode audit = stack.call(Role.ADMIN, "GET", "/api/v1/audit?subject=key:ann", null).body();
        assertThat(audit.get("entries")).extracting(e -> e.get("action").asText() + " by " + e.get("actor").asText())
                .containsExactly("key.revoke by test-admin", "key.create by test-admin");
    }

    @Test
    void modelsUnderV1AndTheChampionSwappedWhenTheAliasMoves() throws Exception {
        JsonNode model = stack.call(Role.ANALYST, "GET", "/api/v1/models/fraud", null).body();
        assertThat(model.at("/model/aliases/champion").asInt()).isEqualTo(stack.champion.version());
        JsonNode lineage = stack.call(Role.SERVICE, "GET", "/api/v1/models/fraud/versions/1/lineage", null).body();
        assertThat(lineage.at("/run/info/name").asText()).isEqualTo("train");
        assertThat(stack.call(Role.ANALYST, "GET", "/api/v1/runs/" + lineage.at("/run/info/id").asText(), null)
                .status()).isEqualTo(200);

        int v2 = Stack.register(stack.registry, "fraud", Stack.model()).version();
        Stack.Response moved = stack.call(Role.ADMIN, "PUT", "/api/v1/models/fraud/aliases/champion",
                "{\"version\": " + v2 + ", \"reason\": \"retrained\"}");
        assertThat(moved.status()).as(moved.raw()).isEqualTo(200);
        Stack.await("the server scoring with v" + v2, () -> scoredBy().equals("fraud/" + v2));
        assertThat(stack.call(Role.ADMIN, "POST", "/api/v1/models/fraud/aliases/champion/rollback",
                "{\"reason\": \"back\"}").status()).isEqualTo(200);
        Stack.await("the server scoring with v1 again", () -> scoredBy().equals("fraud/1"));
        assertThat(stack.call(Role.ADMIN, "PUT", "/api/v1/models/fraud/aliases/challenger",
                "{\"version\": " + v2 + ", \"reason\": \"shadow\"}").status()).isEqualTo(200);
        assertProblem(stack.call(Role.ADMIN, "DELETE", "/api/v1/models/fraud/aliases/challenger", "{}"), 400, "reason");
        assertThat(stack.call(Role.ADMIN, "DELETE", "/api/v1/models/fraud/aliases/challenger",
                "{\"reason\": \"withdrawn\"}").status()).isEqualTo(200);
        JsonNode audit = stack.call(Role.ADMIN, "GET", "/api/v1/audit?subject=model:fraud", null).body();
        assertThat(audit.get("entries")).extracting(e -> e.get("action").asText() + " " + e.get("subject").asText())
                .containsExactly("alias.delete model:fraud@challenger", "alias.set model:fraud@challenger",
                        "alias.rollback model:fraud@champion", "alias.set model:fraud@champion");
    }

    private static String scoredBy() {
        try {
            return stack.call(Role.SERVICE, "POST", "/api/v1/score?explain=none", tx(N + 5)).body()
                    .get("model_version").asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theDashboardFiguresCountTheDecisions() throws Exception {
        JsonNode d = stack.call(Role.ANALYST, "GET", "/api/v1/dashboard?minutes=60", null).body();
        long decided = 0;
        for (String t : List.of("APPROVE", "REVIEW", "DECLINE")) {
            decided += d.at("/mix/" + t).asLong();
        }
        assertThat(decided).isGreaterThanOrEqualTo(N);
        long binned = 0;
        for (JsonNode b : d.get("score_histogram")) {
            binned += b.asLong();
        }
        assertThat(binned).isEqualTo(decided);
        assertThat(d.get("dead_letters").asLong()).isZero();
        assertProblem(stack.call(Role.ANALYST, "GET", "/api/v1/dashboard?minutes=0", null), 400, "minutes");
    }

    @Test
    void readinessAndMetricsReportTheParts() throws Exception {
        JsonNode ready = stack.call(null, "GET", "/health/ready", null).body();
        assertThat(ready.get("status").asText()).isEqualTo("ready");
        assertThat(ready.get("database").asText()).isEqualTo("up");
        assertThat(ready.get("broker").asText()).isEqualTo("up");
        assertThat(ready.get("model").asText()).startsWith("fraud/");
        assertThat(ready.get("live_features").asText()).isEqualTo("caught up");
        stack.call(Role.SERVICE, "POST", "/api/v1/score", tx(N));
        stack.call(Role.SERVICE, "POST", "/api/v1/score", "{}");
        String metrics = stack.call(null, "GET", "/metrics", null).raw();
        assertThat(metrics).contains("riskloop_score_latency_seconds_bucket", "riskloop_score_latency_seconds_count",
                "riskloop_ingest_transactions_total{outcome=\"accepted\"}", "jetty_server_requests_seconds",
                "riskloop_http_refused_total{endpoint=\"/api/v1/score\",status=\"400\"}", "jvm_memory_used_bytes");
    }

    @Test
    void theOpenApiDocumentDescribesEveryRouteWithItsRoles() throws Exception {
        JsonNode doc = stack.call(null, "GET", "/openapi.json", null).body();
        JsonNode paths = doc.get("paths");
        Set<String> routes = new TreeSet<>();
        for (ServedRoutes.Route e : ServedRoutes.of(stack.parts)) {
            String path = e.openApiPath();
            if (path.startsWith("/api/2.0/mlflow") || path.startsWith("/ui") || path.equals("/")) {
                continue; // MLflow's own reference; the web app's pages
            }
            String documented = path.startsWith("/api/") && !path.startsWith("/api/v1/")
                    ? "/api/v1" + path.substring(4) : path; // /api/... is an alias of /api/v1/...
            String method = e.openApiMethod();
            JsonNode op = paths.path(documented).path(method);
            assertThat(op.isMissingNode()).as("%s %s is documented", method, documented).isFalse();
            Set<String> roles = new TreeSet<>();
            e.roles().forEach(r -> roles.add(r.id()));
            Set<String> documentedRoles = new TreeSet<>();
            op.path("x-roles").forEach(r -> documentedRoles.add(r.asText()));
            assertThat(documentedRoles).as("roles of %s %s", method, documented).isEqualTo(roles);
            routes.add(method + " " + documented);
        }
        // and nothing is documented that is not served
        paths.properties().forEach(p -> p.getValue().fieldNames().forEachRemaining(m ->
                assertThat(routes).as("documented %s %s is served", m, p.getKey()).contains(m + " " + p.getKey())));
        String page = stack.call(null, "GET", "/docs", null).raw();
        assertThat(page).contains("/api/v1/score", "/api/v1/transactions/{id}/labels");
    }
}
