package io.riskloop.cli;

import io.riskloop.core.dataset.DatasetException;
import io.riskloop.model.ModelFormatException;
import picocli.CommandLine;

import java.io.UncheckedIOException;

/**
 * Turns exceptions into messages: a user's mistake (bad data, bad option values, unreadable files) gets one
 * clear line and exit code 2, never a stack trace; anything else is a failure of riskloop, exit code 1, with the
 * stack trace only when RISKLOOP_DEBUG is set.
 */
final class Errors implements CommandLine.IExecutionExceptionHandler {

    static final int USER_ERROR = 2;
    static final int FAILURE = 1;

    @Override
    public int handleExecutionException(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        var err = cl.getErr();
        if (isUserError(e)) {
            err.println(cl.getColorScheme().errorText("riskloop " + cl.getCommandName() + ": " + e.getMessage()));
            return USER_ERROR;
        }
        err.println(cl.getColorScheme().errorText("riskloop " + cl.getCommandName() + " failed: " + e));
        if (System.getenv("RISKLOOP_DEBUG") != null) {
            e.printStackTrace(err);
        } else {
            err.println("Set RISKLOOP_DEBUG=1 to see the stack trace.");
        }
        return FAILURE;
    }

    /** A wrong option or value: the message, suggestions for a misspelt option, and where to find help. */
    static int badUsage(CommandLine.ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        var err = cl.getErr();
        err.println(cl.getColorScheme().errorText("riskloop " + cl.getCommandName() + ": " + e.getMessage()));
        EnvironmentDefaults.sourceOf(e).ifPresent(err::println);
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        err.println("Run '" + cl.getCommandSpec().qualifiedName() + " --help' for the options.");
        return USER_ERROR;
    }

    static boolean isUserError(Exception e) {
        // the registry's refusals and the store's failures (no server, wrong URL) are written for people
        return e instanceof DatasetException || e instanceof IllegalArgumentException
                || e instanceof ModelFormatException || e instanceof UncheckedIOException
                || e instanceof java.io.IOException || e instanceof io.riskloop.registry.RegistryException
                || e instanceof io.riskloop.store.StoreException;
    }
}
