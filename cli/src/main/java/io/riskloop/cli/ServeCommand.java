package io.riskloop.cli;

import io.riskloop.core.token.CardTokenizer;
import io.riskloop.server.RiskloopServer;
import io.riskloop.server.ServerParts;
import io.riskloop.server.auth.ApiKeys;
import io.riskloop.stream.DecisionPolicy;
import io.riskloop.stream.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "serve", mixinStandardHelpOptions = true, defaultValueProvider = EnvironmentDefaults.class,
        footer = EnvironmentDefaults.FOOTER,
        description = {"Starts the HTTP server: riskloop's API under /api/v1 (scoring on live features, transactions,"
                + " labels, models, keys, audit), the analysts' web app under /ui, the MLflow tracking and registry API"
                + " under /api/2.0/mlflow (point MLflow clients' tracking URI at the server, and their"
                + " MLFLOW_TRACKING_TOKEN at an API key), /health/live, /health/ready, /metrics and /openapi.json."
                + " With --kafka it also takes transactions in, publishes labels and keeps live features from the"
                + " decisions and labels topics. Scores with the champion of --model-name, switched when the alias"
                + " moves. On first start it prints an admin API key (or takes " + ApiKeys.ADMIN_KEY_ENV + ")."
                + " Runs until stopped (Ctrl-C)."})
final class ServeCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--port", defaultValue = "8080", description = "Port, default ${DEFAULT-VALUE}; 0 picks a free one.")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "Address to listen on, default ${DEFAULT-VALUE} (this machine only); 0.0.0.0 for every"
                    + " interface (put TLS in front: keys and session cookies must not cross a network in clear).")
    String host;

    @Option(names = "--kafka", description = "Bootstrap servers of the Kafka cluster the pipeline uses, e.g."
            + " kafka:9092. Without it: no ingest, no labels, and scores see every card as new.")
    String kafka;

    @Option(names = "--model-name", defaultValue = "fraud",
            description = "Registered model whose champion scores, default ${DEFAULT-VALUE}.")
    String modelName;

    @Option(names = "--model-poll-seconds", defaultValue = "5",
            description = "How often to look whether the champion alias moved, default ${DEFAULT-VALUE}.")
    int pollSeconds;

    @Mixin
    PolicyOptions policyOptions;

    @Option(names = "--token-key-file", description = "Key for tokenising card numbers sent to the API, created if"
            + " missing, unless " + CardTokenizer.KEY_ENV + " is set; default <data-dir>/token.key (the pipeline's).")
    Path tokenKeyFile;

    @Mixin
    StoreOptions store;

    @Mixin
    MonitorOptions monitor;

    @Mixin
    RetrainOptions retrain;

    @Mixin
    NotifierOptions notifiers;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("--port must be between 0 and 65535, was " + port);
        }
        if (pollSeconds < 1) {
            throw new IllegalArgumentException("--model-poll-seconds must be at least 1, was " + pollSeconds);
        }
        DecisionPolicy policy = policyOptions.policy();
        java.io.PrintWriter out = spec.commandLine().getOut();
        CountDownLatch stop = new CountDownLatch(1);
        Thread hook = new Thread(stop::countDown, "riskloop-serve-stop");
        boolean interrupted = false;
        CardTokenizer tokenizer = CardTokenizer.fromEnvironmentOrFile(tokenKeyFile != null ? tokenKeyFile
                : store.dataDir.resolve("token.key"));
        try (StoreOptions.OpenRegistry open = store.open();
             ServerParts parts = monitored(ServerParts.serving(open.registry(), Clock.systemUTC(), tokenizer, kafka,
                     Topics.DEFAULT, modelName, policy, Duration.ofSeconds(pollSeconds)));
             RiskloopServer server = RiskloopServer.start(parts, host, port)) {
            String url = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + server.port();
            out.println("riskloop serving " + url);
            out.println("  web app    " + url + "/ui");
            out.println("  API        " + url + "/api/v1 (" + url + "/docs)");
            out.println("  database   " + open.registry().database().description());
            out.println("  artifacts  " + open.registry().artifacts().root());
            out.println("  broker     " + (kafka == null ? "none (no ingest, labels or live features)" : kafka));
            out.println("  model      " + parts.scoring().champion().info().map(i -> i.version())
                    .orElse("none yet: " + parts.scoring().champion().problem()));
            out.println("  MLflow     MLFLOW_TRACKING_URI=" + url + " MLFLOW_TRACKING_TOKEN=<an API key>");
            out.println("  monitoring " + (parts.loop() == null ? "off" : "every " + monitor.every
                    + (monitor.schedule != null ? ", retraining also on '" + monitor.schedule + "'" : "")));
            Optional<String> admin = parts.keys().bootstrapAdmin(System.getenv(ApiKeys.ADMIN_KEY_ENV));
            admin.ifPresent(k -> {
                out.println();
                out.println("  first admin API key (shown once, keep it safe; riskloop keys create makes more):");
                out.println("  " + k);
            });
            out.flush();
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                stop.await();
            } catch (InterruptedException e) {
                interrupted = true; // stopped by whoever runs us: close first (Jetty's stop waits), then say so
            }
            out.println("riskloop server stopping");
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down: the hook has run
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private ServerParts monitored(ServerParts parts) {
        return monitor.enabled() ? parts.withMonitoring(modelName, monitor.config(), retrain.policy(), monitor.driftPolicy(), policyOptions.reviewThreshold,
                store.dataDir.resolve("retrain"), monitor.every, Clock.systemUTC(), Instant.MIN,
                notifiers.notices(null, parts.metrics().registry()), kafka) : parts;
    }
}
