package io.riskloop.cli;

import io.riskloop.registry.Registry;
import io.riskloop.server.auth.ApiKeys;
import io.riskloop.server.auth.Role;
import io.riskloop.store.access.ApiKey;
import io.riskloop.store.access.ApiKeyStore;
import io.riskloop.store.audit.AuditLog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;

@Command(name = "keys", mixinStandardHelpOptions = true,
        description = {"API keys for the HTTP API and the web app. A key is shown once, when made; riskloop keeps only"
                + " its hash. Roles: analyst (read transactions, label, read models), service (score, send"
                + " transactions, label), admin (everything, including keys and promotions). Every change is written"
                + " to the audit log."},
        subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class})
final class KeysCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static ApiKeys keys(Registry r) {
        Clock clock = Clock.systemUTC();
        return new ApiKeys(new ApiKeyStore(r.database()), new AuditLog(r.database(), clock), clock, new SecureRandom());
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Makes a key and prints it once: keep it somewhere safe, it cannot be shown again.")
    static final class Create extends ModelsCommand.Sub {
        @Parameters(index = "0", paramLabel = "NAME", description = "Who or what holds the key, e.g. ann or"
                + " payments-gateway; the audit log names actors by it.")
        String name;

        @Option(names = "--role", required = true, description = "analyst, service or admin.")
        String role;

        @Mixin
        ActorOption actor;

        @Override
        void run(Registry r, PrintWriter out) {
            Role parsed = Role.parse(role);
            ApiKeys.Created c = keys(r).create(name, parsed, actor.actor());
            out.printf("key for %s (%s), shown once:%n%s%n", c.key().name(), c.key().role(), c.secret());
            out.println("send it as 'Authorization: Bearer <key>', or log in to the web app with it");
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the keys (never the keys themselves).")
    static final class ListKeys extends ModelsCommand.Sub {
        @Option(names = "--all", description = "Revoked keys too.")
        boolean all;

        @Override
        void run(Registry r, PrintWriter out) {
            List<ApiKey> list = keys(r).list(all);
            if (list.isEmpty()) {
                out.println("no keys yet: riskloop serve makes the first admin key (or takes RISKLOOP_ADMIN_KEY);"
                        + " riskloop keys create makes more");
                return;
            }
            out.printf("%-24s %-8s %-9s %-26s %-12s %s%n", "name", "role", "prefix", "created", "by", "revoked");
            for (ApiKey k : list) {
                out.printf("%-24s %-8s %-9s %-26s %-12s %s%n", k.name(), k.role(), k.prefix(), k.createdAt(),
                        k.createdBy(), k.live() ? "-" : k.revokedAt() + " by " + k.revokedBy());
            }
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revokes a key; servers stop accepting it within " + "5 seconds.")
    static final class Revoke extends ModelsCommand.Sub {
        @Parameters(index = "0", paramLabel = "NAME", description = "The key's name.")
        String name;

        @Mixin
        ActorOption actor;

        @Override
        void run(Registry r, PrintWriter out) {
            ApiKey k = keys(r).revoke(name, actor.actor());
            out.printf("revoked %s (%s, %s...)%n", k.name(), k.role(), k.prefix());
        }
    }
}
