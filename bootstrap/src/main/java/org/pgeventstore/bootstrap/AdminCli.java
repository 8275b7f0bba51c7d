package org.pgeventstore.bootstrap;

import io.micronaut.configuration.picocli.MicronautFactory;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine;

/**
 * The admin command line, {@code java -jar pg-eventstore.jar admin <command>}: the service's own
 * beans on the service's database configuration, without the HTTP server, without running the
 * projections, and without the first start's admin key. Its stdout is the command's output; logs
 * go to stderr. Exit status 0 when the command did what it says, 1 when it failed or found
 * something wrong (the reason on stderr), 2 for a command line it does not understand.
 */
public final class AdminCli {

    /** The first argument that selects the command line instead of the server. */
    public static final String ENTRY = "admin";

    private AdminCli() {
    }

    /** Runs one command with the configuration of the environment and {@code properties} on top. */
    public static int run(String[] args, Map<String, Object> properties, PrintWriter out, PrintWriter err) {
        Map<String, Object> settings = new HashMap<>(properties);
        // The service's instances run the projections; a command rebuilds one only when asked.
        settings.putIfAbsent("eventstore.projections.enabled", false);
        CommandLine usage = commandLine(null, out, err);
        CommandLine.ParseResult parsed;
        try {
            parsed = usage.parseArgs(args);
        } catch (CommandLine.ParameterException wrong) {
            err.println(wrong.getMessage());
            wrong.getCommandLine().usage(err);
            return CommandLine.ExitCode.USAGE;
        }
        // Help and incomplete command lines are answered without a database.
        if (CommandLine.printHelpIfRequested(parsed)) {
            return CommandLine.ExitCode.OK;
        }
        CommandLine.ParseResult leaf = parsed;
        while (leaf.subcommand() != null) {
            leaf = leaf.subcommand();
        }
        if (!leaf.commandSpec().subcommands().isEmpty()) {
            leaf.commandSpec().commandLine().usage(err);
            return CommandLine.ExitCode.USAGE;
        }
        ApplicationContext context;
        try {
            context = ApplicationContext.builder(Environment.CLI).properties(settings).start();
        } catch (RuntimeException failed) {
            return startFailed(failed, err);
        }
        try (context) {
            return commandLine(new MicronautFactory(context), out, err).execute(args);
        }
    }

    private static CommandLine commandLine(CommandLine.IFactory factory, PrintWriter out, PrintWriter err) {
        CommandLine command = factory == null ? new CommandLine(AdminCommand.class)
                : new CommandLine(AdminCommand.class, factory);
        command.setOut(out);
        command.setErr(err);
        command.setExecutionExceptionHandler((failure, line, result) -> {
            line.getErr().println("error: " + describe(failure));
            return CommandLine.ExitCode.SOFTWARE;
        });
        return command;
    }

    private static int startFailed(RuntimeException failed, PrintWriter err) {
        for (Throwable cause = failed; cause != null; cause = cause.getCause()) {
            if (cause instanceof DataDirectoryInUse inUse) {
                err.println("error: the data directory " + inUse.dataDir() + " is in use by "
                        + (inUse.holderPid().isPresent() ? "process " + inUse.holderPid().getAsLong() : "another process")
                        + " (" + inUse.holder() + "); run the command against that service's database instead: "
                        + "set DATASOURCES_DEFAULT_URL (and _USERNAME, _PASSWORD) to its PostgreSQL, or stop the service first");
                return CommandLine.ExitCode.SOFTWARE;
            }
        }
        err.println("error: could not reach the event store's database: " + describe(failed)
                + " (check DATASOURCES_DEFAULT_URL, DATASOURCES_DEFAULT_USERNAME and DATASOURCES_DEFAULT_PASSWORD)");
        return CommandLine.ExitCode.SOFTWARE;
    }

    private static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return root == failure ? message : failure.getClass().getSimpleName() + ": " + message;
    }
}
