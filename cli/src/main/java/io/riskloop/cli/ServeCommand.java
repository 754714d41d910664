package io.riskloop.cli;

import io.riskloop.server.RiskloopServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Starts the HTTP server: /health/ready, riskloop's registry API under /api, and the MLflow"
                + " tracking and registry API under /api/2.0/mlflow (point MLflow clients' tracking URI at the"
                + " server). Runs until stopped (Ctrl-C)."})
final class ServeCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--port", defaultValue = "8080", description = "Port, default ${DEFAULT-VALUE}; 0 picks a free one.")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "Address to listen on, default ${DEFAULT-VALUE} (this machine only: the API has no"
                    + " authentication yet); 0.0.0.0 for every interface.")
    String host;

    @Mixin
    StoreOptions store;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("--port must be between 0 and 65535, was " + port);
        }
        java.io.PrintWriter out = spec.commandLine().getOut();
        CountDownLatch stop = new CountDownLatch(1);
        Thread hook = new Thread(stop::countDown, "riskloop-serve-stop");
        boolean interrupted = false;
        try (StoreOptions.OpenRegistry open = store.open();
             RiskloopServer server = RiskloopServer.start(open.registry(), host, port)) {
            String url = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + server.port();
            out.println("riskloop serving " + url);
            out.println("  database   " + open.registry().database().description());
            out.println("  artifacts  " + open.registry().artifacts().root());
            out.println("  MLflow     MLFLOW_TRACKING_URI=" + url);
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
}
