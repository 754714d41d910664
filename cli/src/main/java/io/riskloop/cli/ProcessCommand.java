package io.riskloop.cli;

import io.riskloop.core.token.CardTokenizer;
import io.riskloop.stream.DecisionPipeline;
import io.riskloop.stream.PipelineConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "process", mixinStandardHelpOptions = true, defaultValueProvider = EnvironmentDefaults.class,
        footer = EnvironmentDefaults.FOOTER,
        description = {"Runs the decision pipeline against a Kafka cluster: validates, computes features, scores with"
                + " the registry's champion (and challenger in shadow), decides, and stores every decision and dead"
                + " letter in PostgreSQL. Models are swapped when their aliases move. Run as many instances as the"
                + " topics have partitions; they share the work. Stops cleanly on Ctrl-C."})
final class ProcessCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--kafka", required = true, description = "Bootstrap servers, e.g. kafka:9092.")
    String kafka;

    @Mixin
    StoreOptions store;

    @Mixin
    NotifierOptions notifiers;

    @Option(names = "--model-name", defaultValue = "fraud", description = "Registered model to serve, default ${DEFAULT-VALUE}.")
    String modelName;

    @Option(names = "--partitions", defaultValue = "4",
            description = "Partitions of the topics, when this instance creates them, default ${DEFAULT-VALUE}.")
    int partitions;

    @Option(names = "--state-dir", description = "Local state of the stream processor, default <data-dir>/streams.")
    Path stateDir;

    @Mixin
    PolicyOptions policyOptions;

    @Option(names = "--ab-share", defaultValue = "0",
            description = "Share of cards (0 to 0.5, by a hash of the card token) whose transactions the challenger"
                    + " decides while one is registered: an A/B test; default ${DEFAULT-VALUE}: the challenger only"
                    + " shadows.")
    double abShare;

    @Option(names = "--commit-interval", defaultValue = "10ms", converter = DurationConverter.class,
            description = "How often the pipeline commits its exactly-once transactions, default ${DEFAULT-VALUE}:"
                    + " readers of the decisions see them about this much later; shorter costs throughput.")
    java.time.Duration commitInterval;

    @Option(names = "--stream-threads", defaultValue = "1",
            description = "Stream threads of this instance, default ${DEFAULT-VALUE}; more than the cores, or than the"
                    + " partitions over all instances, gains nothing.")
    int streamThreads;

    @Option(names = "--duration", converter = DurationConverter.class,
            description = "Stop after this long (e.g. 10m); default: until stopped.")
    java.time.Duration duration;

    @Option(names = "--token-key-file", defaultValue = "data/token.key",
            description = "Key that tokenises card numbers sent as card_number, unless RISKLOOP_TOKEN_KEY is set. Default"
                    + " ${DEFAULT-VALUE}.")
    Path tokenKeyFile;

    @Option(names = "--http-port", defaultValue = "8081",
            description = "Port of /health/live, /health/ready and /metrics (Prometheus), default ${DEFAULT-VALUE};"
                    + " 0 turns them off.")
    int httpPort;

    @Option(names = "--http-host", defaultValue = "127.0.0.1",
            description = "Address the health and metrics port listens on, default ${DEFAULT-VALUE}; 0.0.0.0 for every"
                    + " interface (the container image's default).")
    String httpHost;

    @Override
    public Integer call() throws Exception {
        if (httpPort < 0 || httpPort > 65_535) {
            throw new IllegalArgumentException("--http-port must be between 0 (off) and 65535, was " + httpPort);
        }
        java.io.PrintWriter out = spec.commandLine().getOut();
        PipelineConfig config = PipelineConfig.defaults().withPolicy(policyOptions.policy()).withAbShare(abShare);
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.countDown();
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "riskloop-process-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try (StoreOptions.OpenRegistry open = store.open();
             PipelineRole role = PipelineRole.start(open.registry(), DecisionPipeline.Options.defaults(kafka,
                             stateDir != null ? stateDir : store.dataDir.resolve("streams"))
                             .tuned(commitInterval, streamThreads), modelName, config, partitions,
                     CardTokenizer.fromEnvironmentOrFile(tokenKeyFile), meters);
             ProcessorEndpoints endpoints = httpPort == 0 ? null : ProcessorEndpoints.start(httpHost, httpPort,
                     role.pipeline()::state, role.sink()::failure, meters)) {
            io.riskloop.stream.notify.AlertDispatcher dispatcher = notifiers.start(kafka, null, meters);
            out.println("riskloop processing " + config.topics().transactions() + " on " + kafka + " with "
                    + role.models().champion().info().version() + "; storing in " + open.registry().database().description());
            if (endpoints != null) {
                out.println("  health and metrics on http://" + httpHost + ":" + endpoints.port());
            }
            out.flush();
            long end = duration == null ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
            while (!stop.await(Math.max(1, Math.min(30_000, (end - System.nanoTime()) / 1_000_000)),
                    java.util.concurrent.TimeUnit.MILLISECONDS) && System.nanoTime() < end) {
                out.printf("  decided %,d  stored %,d  dead letters %,d%n", role.pipeline().metrics().decided(),
                        role.sink().stored(), role.pipeline().metrics().deadLettered());
                out.flush();
                if (role.sink().failure() != null) {
                    throw new IllegalStateException("the store sink stopped: " + role.sink().failure().getMessage(),
                            role.sink().failure());
                }
            }
            if (dispatcher != null) {
                dispatcher.close();
            }
            out.println("riskloop processing stopping");
        } finally {
            stopped.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook has run
            }
        }
        return 0;
    }
}
