package io.riskloop.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.riskloop.core.domain.Transaction;
import io.riskloop.model.Json;
import io.riskloop.model.score.Explanation;
import io.riskloop.registry.FieldError;
import io.riskloop.server.ApiProblem;
import io.riskloop.server.ServerParts;
import io.riskloop.server.auth.Role;
import io.riskloop.server.live.Scoring;
import io.riskloop.stream.TransactionJson;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /api/v1/score} and {@code /api/v1/score/batch}: a transaction scored as the pipeline would decide it
 * now, without deciding it (nothing is stored or sent, live state is not changed).
 */
public final class ScoreApi {

    public static final int MAX_BATCH = 1_000;
    /** Compact JSON: this is the hot path. */
    static final ObjectMapper COMPACT = Json.mapper().copy().disable(SerializationFeature.INDENT_OUTPUT)
            .setSerializationInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL);

    /** The answer for one transaction. */
    public record Result(String transactionId, String cardId, double score, String decision, List<String> reasons,
                         String modelVersion, ExplanationView explanation, Map<String, Double> features) {
    }

    /** The largest contributions to the score's log-odds, and how they were computed. */
    public record ExplanationView(String method, List<Explanation.Contribution> top) {
    }

    public record Batch(List<Result> results) {
    }

    private final ServerParts parts;
    private final TransactionJson reader;

    public ScoreApi(ServerParts parts) {
        this.parts = parts;
        this.reader = new TransactionJson(parts.tokenizer());
    }

    public void routes(Javalin app) {
        app.post("/api/v1/score", this::one, Role.SERVICE, Role.ADMIN);
        app.post("/api/v1/score/batch", this::batch, Role.SERVICE, Role.ADMIN);
    }

    private Scoring scoring() {
        if (parts.scoring() == null) {
            throw ApiProblem.unavailable("this server does not score: start it with a model (riskloop serve"
                    + " --model-name NAME, with a champion in the registry)");
        }
        return parts.scoring();
    }

    private void one(Context ctx) throws JsonProcessingException {
        Scoring scoring = scoring();
        Options o = options(ctx);
        Transaction tx = Validation.transaction(reader, ctx.body(), "");
        long start = System.nanoTime();
        Scoring.Scored s = scoring.score(tx, o.explain());
        parts.metrics().scored(System.nanoTime() - start);
        ctx.contentType("application/json").result(COMPACT.writeValueAsBytes(result(s, o.features())));
    }

    private void batch(Context ctx) throws JsonProcessingException {
        Scoring scoring = scoring();
        Options o = options(ctx);
        JsonNode body;
        try {
            body = COMPACT.readTree(ctx.body());
        } catch (JsonProcessingException e) {
            throw ApiProblem.invalid("body", "not valid JSON: " + e.getOriginalMessage());
        }
        JsonNode items = body == null ? null : body.get("transactions");
        if (items == null || !items.isArray()) {
            throw ApiProblem.invalid("transactions", "required: an array of transactions");
        }
        if (items.isEmpty() || items.size() > MAX_BATCH) {
            throw ApiProblem.invalid("transactions", "must hold 1 to " + MAX_BATCH + " transactions, held "
                    + items.size());
        }
        List<Transaction> txs = new ArrayList<>();
        List<FieldError> errors = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            try {
                txs.add(Validation.transaction(reader, items.get(i).toString(), "transactions[" + i + "]."));
            } catch (ApiProblem p) {
                errors.addAll(p.errors());
            }
        }
        if (!errors.isEmpty()) {
            throw ApiProblem.invalid(errors.subList(0, Math.min(errors.size(), 50)));
        }
        List<Result> out = new ArrayList<>(txs.size());
        for (Transaction tx : txs) {
            long start = System.nanoTime();
            Scoring.Scored s = scoring.score(tx, o.explain());
            parts.metrics().scored(System.nanoTime() - start);
            out.add(result(s, o.features()));
        }
        ctx.contentType("application/json").result(COMPACT.writeValueAsBytes(new Batch(out)));
    }

    private record Options(Scoring.Explain explain, boolean features) {
    }

    private static Options options(Context ctx) {
        List<FieldError> errors = new ArrayList<>();
        String e = ctx.queryParam("explain");
        Scoring.Explain explain = Scoring.Explain.QUICK;
        if (e != null) {
            switch (e) {
                case "quick" -> explain = Scoring.Explain.QUICK;
                case "exact" -> explain = Scoring.Explain.EXACT;
                case "none" -> explain = Scoring.Explain.NONE;
                default -> errors.add(new FieldError("explain", "must be quick (default), exact or none; was '" + e
                        + "'"));
            }
        }
        String f = ctx.queryParam("features");
        if (f != null && !f.equals("true") && !f.equals("false")) {
            errors.add(new FieldError("features", "must be true or false; was '" + f + "'"));
        }
        if (!errors.isEmpty()) {
            throw ApiProblem.invalid(errors);
        }
        return new Options(explain, "true".equals(f));
    }

    static Result result(Scoring.Scored s, boolean withFeatures) {
        Map<String, Double> features = null;
        if (withFeatures) {
            features = new LinkedHashMap<>();
            for (int i = 0; i < s.features().length; i++) {
                double v = s.features()[i];
                features.put(s.featureNames().get(i), Double.isNaN(v) ? null : v);
            }
        }
        return new Result(s.transaction().id(), s.transaction().cardId(), s.score(), s.decision().name(), s.reasons(),
                s.modelVersion(), s.method() == null ? null : new ExplanationView(s.method(), s.contributions()),
                features);
    }
}
