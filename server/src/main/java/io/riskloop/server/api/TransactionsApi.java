package io.riskloop.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.riskloop.core.domain.DecisionType;
import io.riskloop.core.domain.Transaction;
import io.riskloop.core.token.CardTokenizer;
import io.riskloop.registry.FieldError;
import io.riskloop.server.ApiProblem;
import io.riskloop.server.Requests;
import io.riskloop.server.ServerParts;
import io.riskloop.server.auth.Access;
import io.riskloop.server.auth.Principal;
import io.riskloop.server.auth.Role;
import io.riskloop.store.decisions.DecisionFilter;
import io.riskloop.store.decisions.DecisionQueries;
import io.riskloop.store.decisions.DecisionStore;
import io.riskloop.store.decisions.StoredLabel;
import io.riskloop.stream.TransactionJson;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Transactions: ingest ({@code POST /api/v1/transactions}, to the pipeline through the {@code transactions}
 * topic), search, one transaction with everything known about it, and labels.
 */
public final class TransactionsApi {

    public record Accepted(String transactionId, String cardId, String status, String location) {
    }

    public record Page(List<TransactionDetails.Summary> items, String nextPageToken) {
    }

    private final ServerParts parts;
    private final TransactionJson reader;
    private final TransactionDetails details;
    private final Labels labels;

    public TransactionsApi(ServerParts parts) {
        this.parts = parts;
        this.reader = new TransactionJson(parts.tokenizer());
        this.details = new TransactionDetails(parts);
        this.labels = new Labels(parts);
    }

    public void routes(Javalin app) {
        app.post("/api/v1/transactions", this::ingest, Role.SERVICE, Role.ADMIN);
        app.get("/api/v1/transactions", this::search, Role.ANALYST, Role.SERVICE, Role.ADMIN);
        app.get("/api/v1/transactions/{id}", ctx -> ctx.json(details.load(ctx.pathParam("id"))),
                Role.ANALYST, Role.SERVICE, Role.ADMIN);
        app.post("/api/v1/transactions/{id}/labels", this::label, Role.ANALYST, Role.SERVICE, Role.ADMIN);
    }

    private void ingest(Context ctx) {
        if (parts.ingest() == null) {
            throw ApiProblem.unavailable("this server has no broker to send transactions to: start it with --kafka");
        }
        Transaction tx;
        try {
            tx = Validation.transaction(reader, ctx.body(), "");
        } catch (ApiProblem p) {
            parts.metrics().ingested("rejected");
            throw p;
        }
        parts.ingest().send(tx);
        parts.metrics().ingested("accepted");
        String location = "/api/v1/transactions/" + tx.id();
        ctx.status(202).header("Location", location).json(new Accepted(tx.id(), tx.cardId(), "accepted", location));
    }

    private void search(Context ctx) {
        List<FieldError> errors = new ArrayList<>();
        DecisionType decision = Validation.oneOf(ctx.queryParam("decision"), "decision",
                v -> DecisionType.valueOf(v.toUpperCase(Locale.ROOT)), "approve, review, decline", errors);
        DecisionFilter.LabelState label = Validation.oneOf(ctx.queryParam("label"), "label",
                v -> DecisionFilter.LabelState.valueOf(v.toUpperCase(Locale.ROOT)),
                "unlabelled, labelled, fraud, genuine", errors);
        String card = ctx.queryParam("card_id");
        String number = ctx.queryParam("card_number");
        if (number != null) {
            if (card != null) {
                errors.add(new FieldError("card_number", "give card_id or card_number, not both"));
            } else if (parts.tokenizer() == null || !CardTokenizer.looksLikeCardNumber(number)) {
                errors.add(new FieldError("card_number", parts.tokenizer() == null
                        ? "this server does not tokenise card numbers; search by card_id (the token)"
                        : "not a card number (12 to 19 digits)"));
            } else {
                card = parts.tokenizer().tokenize(number);
            }
        }
        Instant from = Validation.instant(ctx.queryParam("from"), "from", errors);
        Instant to = Validation.instant(ctx.queryParam("to"), "to", errors);
        Double min = Validation.number(ctx.queryParam("min_score"), "min_score", 0, 1, errors);
        Double max = Validation.number(ctx.queryParam("max_score"), "max_score", 0, 1, errors);
        Integer limit = Validation.integer(ctx.queryParam("limit"), "limit", 1, DecisionQueries.MAX_PAGE, errors);
        DecisionQueries.Order order = Validation.oneOf(ctx.queryParam("order"), "order",
                v -> DecisionQueries.Order.valueOf(v.toUpperCase(Locale.ROOT)), "time, score", errors);
        if (from != null && to != null && !from.isBefore(to)) {
            errors.add(new FieldError("to", "must be after from"));
        }
        if (min != null && max != null && min > max) {
            errors.add(new FieldError("max_score", "must be at least min_score"));
        }
        Validation.orThrow(errors);
        DecisionFilter f = new DecisionFilter(decision, label, card, ctx.queryParam("terminal_id"), from, to, min, max);
        DecisionQueries.Page page;
        try {
            page = parts.queries().search(f, order == null ? DecisionQueries.Order.TIME : order,
                    limit == null ? 50 : limit, ctx.queryParam("page_token"));
        } catch (IllegalArgumentException e) {
            throw ApiProblem.invalid("page_token", "not a token this search returned: use next_page_token of the"
                    + " previous page with the same order");
        }
        ctx.json(new Page(page.items().stream().map(TransactionDetails::summary).toList(), page.nextPageToken()));
    }

    private void label(Context ctx) {
        JsonNode b = Requests.object(ctx);
        Principal who = Access.principal(ctx);
        List<FieldError> errors = new ArrayList<>();
        JsonNode fraud = b.get("fraud");
        if (fraud == null || !fraud.isBoolean()) {
            errors.add(new FieldError("fraud", "required: true (fraud) or false (genuine)"));
        }
        String defaultSource = who.role() == Role.SERVICE ? "api" : "analyst";
        String source = b.hasNonNull("source") ? b.get("source").asText() : defaultSource;
        if (!DecisionStore.LABEL_SOURCES.contains(source)) {
            errors.add(new FieldError("source", "must be one of " + new java.util.TreeSet<>(DecisionStore.LABEL_SOURCES)
                    + "; was '" + source + "'"));
        }
        String comment = b.hasNonNull("comment") ? b.get("comment").asText() : null;
        if (comment != null && comment.length() > Labels.MAX_COMMENT) {
            errors.add(new FieldError("comment", "at most " + Labels.MAX_COMMENT + " characters, was "
                    + comment.length()));
        }
        Instant knownAt = Validation.instant(b.hasNonNull("known_at") ? b.get("known_at").asText() : null,
                "known_at", errors);
        for (var it = b.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!List.of("fraud", "source", "comment", "known_at").contains(name)) {
                errors.add(new FieldError(name, "unknown field; a label has fraud, source, comment and known_at"));
            }
        }
        Validation.orThrow(errors);
        StoredLabel l = labels.label(ctx.pathParam("id"), fraud.asBoolean(), source, comment, knownAt, who);
        ctx.status(201).json(l);
    }
}
