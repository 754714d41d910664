package io.riskloop.server.web;

import com.fasterxml.jackson.databind.JsonNode;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.HandlerType;
import io.javalin.http.Header;
import io.riskloop.core.domain.DecisionType;
import io.riskloop.model.Json;
import io.riskloop.registry.RegistryException;
import io.riskloop.registry.models.AliasMove;
import io.riskloop.registry.models.Lineage;
import io.riskloop.registry.models.ModelVersion;
import io.riskloop.registry.models.RegisteredModel;
import io.riskloop.server.ApiProblem;
import io.riskloop.server.Problem;
import io.riskloop.server.ServerParts;
import io.riskloop.server.api.AliasChanges;
import io.riskloop.server.api.Labels;
import io.riskloop.server.api.TransactionDetails;
import io.riskloop.server.auth.Principal;
import io.riskloop.server.auth.Role;
import io.riskloop.store.decisions.DecisionFilter;
import io.riskloop.store.decisions.DecisionQueries;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The analysts' web app under /ui, rendered on the server (jte templates compiled at build time; htmx for the
 * label form and the filters; Chart.js for charts; no build step but Maven's): log in with an API key, the review
 * queue, a transaction with its explanation and one-click labels, the dashboard, the models with promotion and
 * rollback (admins), monitoring ({@link MonitoringPage}), the audit log; and the API documentation at /docs.
 */
public final class WebApp implements io.riskloop.server.ErrorPages {

    static final String SESSION_COOKIE = "riskloop_session";
    static final String LOGIN_COOKIE = "riskloop_login";
    static final String SESSION = "riskloop.web.session";
    static final String CSRF_HEADER = "X-CSRF-Token";
    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

    private final ServerParts parts;
    private final Sessions sessions;
    private final TemplateEngine templates = TemplateEngine.createPrecompiled(ContentType.Html);
    private final TransactionDetails details;
    private final Labels labels;
    private final SecureRandom random = new SecureRandom();
    private final Pages.Docs docs;

    public WebApp(ServerParts parts) {
        this.parts = parts;
        this.sessions = new Sessions(parts.clock(), random);
        this.details = new TransactionDetails(parts);
        this.labels = new Labels(parts);
        this.docs = docs();
    }

    public Sessions sessions() {
        return sessions;
    }

    @Override
    public boolean handles(Context ctx) {
        return ctx.path().equals("/ui") || ctx.path().startsWith("/ui/") || ctx.path().equals("/docs");
    }

    @Override
    public void show(Context ctx, Problem p) {
        Sessions.Session s = ctx.attribute(SESSION);
        render(ctx, "error.jte", new Pages.Error(layout(s, p.title(), ""), p.status(), p.title(), p.detail()));
    }

    public void routes(Javalin app) {
        app.before(ctx -> {
            if (handles(ctx) || ctx.path().equals("/")) {
                ctx.header("Content-Security-Policy", CSP);
                ctx.header("X-Content-Type-Options", "nosniff");
                ctx.header("X-Frame-Options", "DENY");
                ctx.header("Referrer-Policy", "same-origin");
                ctx.header(Header.CACHE_CONTROL, "no-store");
            }
        });
        app.before("/ui/*", this::guard);
        app.get("/", ctx -> ctx.redirect("/ui/queue"));
        app.get("/ui", ctx -> ctx.redirect("/ui/queue"));
        app.get("/ui/login", this::loginPage);
        app.post("/ui/login", this::login);
        app.post("/ui/logout", this::logout);
        app.get("/ui/queue", this::queue);
        app.get("/ui/transactions/{id}", this::transaction);
        app.post("/ui/transactions/{id}/label", this::label);
        app.get("/ui/dashboard", this::dashboard);
        app.get("/ui/models", ctx -> models(ctx, null));
        app.get("/ui/models/{name}", ctx -> models(ctx, ctx.pathParam("name")));
        app.get("/ui/models/{name}/confirm", this::confirmPage);
        app.post("/ui/models/{name}/confirm", this::confirm);
        app.get("/ui/audit", this::audit);
        new MonitoringPage(this, parts).routes(app);
        app.get("/docs", ctx -> render(ctx, "docs.jte", sessions.find(ctx.cookie(SESSION_COOKIE))
                .map(s -> new Pages.Docs(layout(s, "API", "docs"), docs.version(), docs.endpoints())).orElse(docs)));
    }

    // ---- sessions

    private void guard(Context ctx) {
        if (ctx.path().equals("/ui/login")) {
            return;
        }
        Optional<Sessions.Session> s = sessions.find(ctx.cookie(SESSION_COOKIE));
        if (s.isEmpty()) {
            if (ctx.method() == HandlerType.GET && !isHtmx(ctx)) {
                ctx.redirect("/ui/login?next=" + java.net.URLEncoder.encode(ctx.path(), StandardCharsets.UTF_8));
                ctx.skipRemainingHandlers();
                return;
            }
            throw new io.javalin.http.UnauthorizedResponse("your session has ended: log in again");
        }
        ctx.attribute(SESSION, s.get());
        if (ctx.method() != HandlerType.GET && ctx.method() != HandlerType.HEAD) {
            String presented = ctx.header(CSRF_HEADER) != null ? ctx.header(CSRF_HEADER) : ctx.formParam("csrf");
            if (!Sessions.csrfMatches(s.get(), presented)) {
                throw new ForbiddenResponse("the form's security token does not match your session: reload the page"
                        + " and try again");
            }
        }
    }

    private static boolean isHtmx(Context ctx) {
        return "true".equals(ctx.header("HX-Request"));
    }

    private void loginPage(Context ctx) {
        String token = sessions.token();
        ctx.res().addHeader("Set-Cookie", LOGIN_COOKIE + "=" + token + "; Path=/ui/login; HttpOnly; SameSite=Strict"
                + secure(ctx));
        render(ctx, "login.jte", new Pages.Login(new Pages.Layout("Log in", "", null, token), null,
                safeNext(ctx.queryParam("next"))));
    }

    private void login(Context ctx) {
        String cookie = ctx.cookie(LOGIN_COOKIE);
        String form = ctx.formParam("csrf");
        if (cookie == null || form == null || !java.security.MessageDigest.isEqual(
                cookie.getBytes(StandardCharsets.US_ASCII), form.getBytes(StandardCharsets.US_ASCII))) {
            throw new ForbiddenResponse("the log-in form's security token does not match: reload the page and try"
                    + " again (cookies must be enabled)");
        }
        String next = safeNext(ctx.formParam("next"));
        Optional<Principal> p = parts.keys().authenticate(ctx.formParam("key") == null ? null
                : ctx.formParam("key").strip());
        String error = null;
        if (p.isEmpty()) {
            error = "That key is not valid: it is unknown or was revoked.";
        } else if (p.get().role() == Role.SERVICE) {
            error = "Service keys are for programs; log in with an analyst or admin key.";
        }
        if (error != null) {
            ctx.status(401);
            render(ctx, "login.jte", new Pages.Login(new Pages.Layout("Log in", "", null, cookie), error, next));
            return;
        }
        Sessions.Session s = sessions.open(p.get());
        parts.audit().append(p.get().name(), "session.login", "session:" + p.get().name(), null, null,
                "web app, role " + p.get().role().id());
        ctx.res().addHeader("Set-Cookie", SESSION_COOKIE + "=" + s.token() + "; Path=/; HttpOnly; SameSite=Strict"
                + secure(ctx));
        ctx.res().addHeader("Set-Cookie", LOGIN_COOKIE + "=; Path=/ui/login; Max-Age=0; HttpOnly; SameSite=Strict");
        ctx.redirect(next, io.javalin.http.HttpStatus.SEE_OTHER);
    }

    private void logout(Context ctx) {
        sessions.close(ctx.cookie(SESSION_COOKIE));
        ctx.res().addHeader("Set-Cookie", SESSION_COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
        ctx.redirect("/ui/login", io.javalin.http.HttpStatus.SEE_OTHER);
    }

    private static String secure(Context ctx) {
        return "https".equals(ctx.scheme()) ? "; Secure" : "";
    }

    /** Only paths of this app: never another site, never "//host". */
    static String safeNext(String next) {
        if (next != null && next.startsWith("/ui/") && !next.startsWith("//") && !next.contains("\\")
                && !next.equals("/ui/login")) {
            return next;
        }
        return "/ui/queue";
    }

    static Sessions.Session session(Context ctx) {
        return ctx.attribute(SESSION);
    }

    Pages.Layout layout(Sessions.Session s, String title, String active) {
        return new Pages.Layout(title, active, s == null ? null : s.principal(), s == null ? "" : s.csrf());
    }

    // ---- pages

    private void queue(Context ctx) {
        Sessions.Session s = session(ctx);
        Pages.QueueFilter typed = new Pages.QueueFilter(blank(ctx.queryParam("min_score")),
                blank(ctx.queryParam("max_score")), blank(ctx.queryParam("from")), blank(ctx.queryParam("to")),
                blank(ctx.queryParam("card_id")));
        List<String> problems = new ArrayList<>();
        Double min = score(typed.minScore(), "minimum score", problems);
        Double max = score(typed.maxScore(), "maximum score", problems);
        Instant from = instant(typed.from(), "from", problems);
        Instant to = instant(typed.to(), "to", problems);
        DecisionFilter f = new DecisionFilter(DecisionType.REVIEW, DecisionFilter.LabelState.UNLABELLED,
                typed.cardId(), null, from, to, min, max);
        List<TransactionDetails.Summary> items = List.of();
        String next = null;
        long total = 0;
        if (problems.isEmpty()) {
            DecisionQueries.Page page;
            try {
                page = parts.queries().search(f, DecisionQueries.Order.SCORE, 50, blank(ctx.queryParam("page")));
            } catch (IllegalArgumentException e) {
                page = parts.queries().search(f, DecisionQueries.Order.SCORE, 50, null);
            }
            items = page.items().stream().map(TransactionDetails::summary).toList();
            next = page.nextPageToken();
            total = parts.queries().count(f);
        }
        String nextQuery = next == null ? null : query(typed, next);
        render(ctx, "queue.jte", new Pages.Queue(layout(s, "Review queue", "queue"), items, total, next, typed,
                nextQuery, problems.isEmpty() ? null : String.join("; ", problems)));
    }

    private static String query(Pages.QueueFilter f, String page) {
        StringBuilder q = new StringBuilder("?page=").append(page);
        Map<String, String> m = new LinkedHashMap<>();
        m.put("min_score", f.minScore());
        m.put("max_score", f.maxScore());
        m.put("from", f.from());
        m.put("to", f.to());
        m.put("card_id", f.cardId());
        m.forEach((k, v) -> {
            if (v != null) {
                q.append('&').append(k).append('=').append(java.net.URLEncoder.encode(v, StandardCharsets.UTF_8));
            }
        });
        return q.toString();
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static Double score(String v, String what, List<String> problems) {
        if (v == null) {
            return null;
        }
        try {
            double d = Double.parseDouble(v);
            if (d >= 0 && d <= 1) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add("the " + what + " must be a number from 0 to 1, not '" + v + "'");
        return null;
    }

    private static Instant instant(String v, String what, List<String> problems) {
        if (v == null) {
            return null;
        }
        try {
            return v.length() == 10 ? java.time.LocalDate.parse(v).atStartOfDay(java.time.ZoneOffset.UTC).toInstant()
                    : v.length() == 16 ? java.time.LocalDateTime.parse(v).toInstant(java.time.ZoneOffset.UTC)
                    : Instant.parse(v);
        } catch (DateTimeParseException e) {
            problems.add("'" + what + "' must be a date (2018-08-01), a date and time, or an ISO-8601 instant, not '"
                    + v + "'");
            return null;
        }
    }

    private void transaction(Context ctx) {
        transactionPage(ctx, ctx.pathParam("id"), null);
    }

    private void transactionPage(Context ctx, String id, String notice) {
        Sessions.Session s = session(ctx);
        TransactionDetails.Detail d = details.load(id);
        render(ctx, "transaction.jte", new Pages.Transaction(layout(s, "Transaction " + id, "queue"), d,
                parts.audit().about("transaction:" + id), Format.scriptJson(chart(d)), notice,
                parts.labeler() != null));
    }

    /** The bar chart's data: the contributions of the features, largest magnitude first. */
    private static Map<String, Object> chart(TransactionDetails.Detail d) {
        Map<String, Object> m = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (var c : d.explanation().top()) {
            names.add(c.feature());
            values.add(c.value());
        }
        m.put("labels", names);
        m.put("values", values);
        m.put("method", d.explanation().method());
        return m;
    }

    private void label(Context ctx) {
        Sessions.Session s = session(ctx);
        String id = ctx.pathParam("id");
        String fraud = ctx.formParam("fraud");
        if (!"true".equals(fraud) && !"false".equals(fraud)) {
            throw ApiProblem.invalid("fraud", "choose fraud or legitimate");
        }
        String comment = blank(ctx.formParam("comment"));
        if (comment != null && comment.length() > Labels.MAX_COMMENT) {
            throw ApiProblem.invalid("comment", "at most " + Labels.MAX_COMMENT + " characters");
        }
        labels.label(id, Boolean.parseBoolean(fraud), "analyst", comment, null, s.principal());
        String notice = "Labelled " + ("true".equals(fraud) ? "fraud" : "legitimate") + "; it has left the review"
                + " queue.";
        if (isHtmx(ctx)) {
            TransactionDetails.Detail d = details.load(id);
            render(ctx, "labelPanel.jte", new Pages.Transaction(layout(s, "", "queue"), d,
                    parts.audit().about("transaction:" + id), "", notice, true));
        } else {
            ctx.redirect("/ui/transactions/" + Format.segment(id) + "?labelled=1", io.javalin.http.HttpStatus.SEE_OTHER);
        }
    }

    private void dashboard(Context ctx) {
        Sessions.Session s = session(ctx);
        int minutes = 60;
        String m = ctx.queryParam("minutes");
        if (m != null) {
            try {
                minutes = Math.max(1, Math.min(7 * 24 * 60, Integer.parseInt(m)));
            } catch (NumberFormatException e) {
                throw ApiProblem.invalid("minutes", "a whole number of minutes, not '" + m + "'");
            }
        }
        Instant now = parts.clock().instant();
        DecisionQueries.Dashboard d = parts.queries().dashboard(now.minus(Duration.ofMinutes(minutes)),
                now.plusSeconds(1), 30);
        // every minute of the window, the quiet ones as zero, so that the charts' time axis is true
        Map<Instant, DecisionQueries.Bucket> byMinute = new java.util.HashMap<>();
        d.perMinute().forEach(b -> byMinute.put(b.start(), b));
        List<String> labels = new ArrayList<>();
        List<Double> perSecondSeries = new ArrayList<>();
        List<Double> alertSeries = new ArrayList<>();
        Instant first = now.minus(Duration.ofMinutes(minutes - 1)).truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
        for (Instant t = first; !t.isAfter(now); t = t.plus(Duration.ofMinutes(1))) {
            DecisionQueries.Bucket b = byMinute.get(t);
            labels.add(Format.time(t).substring(minutes > 24 * 60 ? 5 : 11, 16));
            perSecondSeries.add(b == null ? 0.0 : b.decisions() / 60.0);
            alertSeries.add(b == null || b.decisions() == 0 ? null : b.alerts() / (double) b.decisions());
        }
        Map<String, Object> chart = new LinkedHashMap<>();
        chart.put("minutes", labels);
        chart.put("perSecond", perSecondSeries);
        chart.put("alertRate", alertSeries);
        chart.put("mix", d.mix());
        List<String> bins = new ArrayList<>();
        for (int i = 0; i < d.scoreHistogram().length; i++) {
            bins.add(String.format(java.util.Locale.ROOT, "%.2f", i / (double) d.scoreHistogram().length));
        }
        chart.put("bins", bins);
        chart.put("histogram", d.scoreHistogram());
        chart.put("days", d.accuracy().stream().map(a -> a.day().toString()).toList());
        chart.put("precision", d.accuracy().stream().map(a -> Double.isNaN(a.precision()) ? null : a.precision()).toList());
        chart.put("recall", d.accuracy().stream().map(a -> Double.isNaN(a.recall()) ? null : a.recall()).toList());
        double perSecond = d.perMinute().isEmpty() ? 0 : d.decisions() / (minutes * 60.0);
        render(ctx, "dashboard.jte", new Pages.Dashboard(layout(s, "Dashboard", "dashboard"), d,
                Format.scriptJson(chart), minutes, perSecond));
    }

    private void models(Context ctx, String name) {
        Sessions.Session s = session(ctx);
        List<RegisteredModel> all = parts.registry().models().searchModels(null, null, 100, null).items();
        String chosen = name != null ? name : parts.scoring() != null
                ? parts.scoring().champion().modelName() : all.isEmpty() ? null : all.get(0).name();
        List<Pages.VersionRow> rows = new ArrayList<>();
        List<AliasMove> history = List.of();
        if (chosen != null && parts.registry().models().find(chosen).isPresent()) {
            List<ModelVersion> versions = parts.registry().models().versions(chosen);
            for (ModelVersion v : versions.subList(0, Math.min(20, versions.size()))) {
                Lineage l = null;
                try {
                    l = parts.registry().models().lineage(chosen, v.version());
                } catch (RegistryException e) {
                    // a version without a run has no lineage to show
                }
                rows.add(new Pages.VersionRow(v, l));
            }
            history = parts.registry().models().history(chosen, null); // newest first
            history = history.subList(0, Math.min(20, history.size()));
        } else if (name != null) {
            throw ApiProblem.notFound("name", "there is no model named '" + name + "'");
        }
        String notice = ctx.queryParam("done") != null ? "Done: " + ctx.queryParam("done") : null;
        render(ctx, "models.jte", new Pages.Models(layout(s, "Models", "models"), all, chosen, rows, history, notice));
    }

    private void confirmPage(Context ctx) {
        Sessions.Session s = requireAdmin(ctx);
        String name = ctx.pathParam("name");
        String action = ctx.queryParam("action");
        String alias = ctx.queryParam("alias") == null ? "champion" : ctx.queryParam("alias");
        Integer current = currentVersion(name, alias);
        Integer version;
        if ("promote".equals(action)) {
            try {
                version = Integer.parseInt(String.valueOf(ctx.queryParam("version")));
            } catch (NumberFormatException e) {
                throw ApiProblem.invalid("version", "a version number is required");
            }
            parts.registry().models().version(name, version);
        } else if ("rollback".equals(action)) {
            version = previousVersion(name, alias);
        } else {
            throw ApiProblem.invalid("action", "must be promote or rollback");
        }
        render(ctx, "confirm.jte", new Pages.Confirm(layout(s, "Confirm", "models"), action, name, alias, version,
                current, null));
    }

    private void confirm(Context ctx) {
        Sessions.Session s = requireAdmin(ctx);
        String name = ctx.pathParam("name");
        String action = ctx.formParam("action");
        String alias = ctx.formParam("alias") == null ? "champion" : ctx.formParam("alias");
        String reason = blank(ctx.formParam("reason"));
        String actor = s.principal().name();
        Integer version = null;
        if (ctx.formParam("version") != null) {
            try {
                version = Integer.parseInt(ctx.formParam("version"));
            } catch (NumberFormatException e) {
                throw ApiProblem.invalid("version", "a version number is required");
            }
        }
        if (reason == null) {
            ctx.status(400);
            render(ctx, "confirm.jte", new Pages.Confirm(layout(s, "Confirm", "models"), action, name, alias, version,
                    currentVersion(name, alias), "Say why: the reason is recorded with the change."));
            return;
        }
        String done;
        if ("promote".equals(action)) {
            if (version == null) {
                throw ApiProblem.invalid("version", "a version number is required");
            }
            Optional<AliasMove> move = parts.registry().models().setAlias(name, alias, version, actor, reason,
                    AliasChanges.audited(parts.audit()));
            done = move.map(AliasMove::describe).orElse(alias + " already pointed at v" + version);
        } else if ("rollback".equals(action)) {
            AliasMove m = parts.registry().models().rollback(name, alias, actor, reason,
                    AliasChanges.audited(parts.audit()));
            done = m.describe();
        } else {
            throw ApiProblem.invalid("action", "must be promote or rollback");
        }
        if (parts.scoring() != null) {
            parts.scoring().champion().check(); // serve the new champion now, not at the next poll
        }
        ctx.redirect("/ui/models/" + Format.segment(name) + "?done=" + java.net.URLEncoder.encode(done,
                StandardCharsets.UTF_8), io.javalin.http.HttpStatus.SEE_OTHER);
    }

    private Integer currentVersion(String name, String alias) {
        try {
            return parts.registry().models().versionByAlias(name, alias).version();
        } catch (RegistryException e) {
            return null;
        }
    }

    /** The version a rollback of {@code alias} would return to: the one it pointed at before its latest move. */
    private Integer previousVersion(String name, String alias) {
        List<AliasMove> h = parts.registry().models().history(name, alias);
        for (int i = h.size() - 1; i >= 0; i--) {
            if (h.get(i).fromVersion() != null) {
                return h.get(i).fromVersion();
            }
        }
        throw ApiProblem.invalid("alias", alias + " of " + name + " has no earlier version to roll back to");
    }

    private static Sessions.Session requireAdmin(Context ctx) {
        Sessions.Session s = session(ctx);
        if (s.principal().role() != Role.ADMIN) {
            throw new ForbiddenResponse("promotion and rollback are for admins; you are logged in as '"
                    + s.principal().name() + "' (" + s.principal().role().id() + ")");
        }
        return s;
    }

    private void audit(Context ctx) {
        Sessions.Session s = session(ctx);
        String subject = blank(ctx.queryParam("subject"));
        Long before = null;
        if (ctx.queryParam("before") != null) {
            try {
                before = Long.parseLong(ctx.queryParam("before"));
            } catch (NumberFormatException e) {
                throw ApiProblem.invalid("before", "an entry id, not '" + ctx.queryParam("before") + "'");
            }
        }
        var entries = parts.audit().recent(subject, null, before, 100);
        render(ctx, "audit.jte", new Pages.Audit(layout(s, "Audit log", "audit"), entries,
                entries.size() == 100 ? entries.get(99).id() : null, subject));
    }

    // ---- rendering

    void render(Context ctx, String template, Object page) {
        StringOutput out = new StringOutput();
        templates.render(template, page, out);
        ctx.contentType("text/html; charset=utf-8").result(out.toString());
    }

    /** The API documentation page's content, read from the OpenAPI document. */
    private static Pages.Docs docs() {
        try (InputStream in = WebApp.class.getResourceAsStream("/openapi.json")) {
            JsonNode doc = Json.mapper().readTree(in);
            List<Pages.Endpoint> endpoints = new ArrayList<>();
            doc.path("paths").properties().forEach(p -> p.getValue().properties().forEach(op -> {
                JsonNode o = op.getValue();
                List<String> roles = new ArrayList<>();
                o.path("x-roles").forEach(r -> roles.add(r.asText()));
                JsonNode example = o.path("requestBody").path("content").path("application/json").path("example");
                endpoints.add(new Pages.Endpoint(op.getKey().toUpperCase(java.util.Locale.ROOT), p.getKey(),
                        o.path("summary").asText(), o.path("description").asText(""),
                        roles.isEmpty() ? "public" : String.join(", ", roles),
                        example.isMissingNode() ? null : example.toPrettyString()));
            }));
            return new Pages.Docs(new Pages.Layout("API", "docs", null, ""), doc.path("info").path("version").asText(),
                    endpoints);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("the OpenAPI document cannot be read: " + e.getMessage(), e);
        }
    }
}
