package org.pgeventstore.bootstrap;

import io.micronaut.context.env.Environment;
import io.micronaut.runtime.Micronaut;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the event store service, or with {@code admin} as first argument runs one command of the
 * admin command line ({@link AdminCli}) instead. See docs/operations.md for configuration.
 */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) {
        String logFormat = System.getenv("EVENTSTORE_LOG_FORMAT");
        if (logFormat != null && !logFormat.equals("text") && !logFormat.equals("json")) {
            // Before anything logs: logback would otherwise drop every line for want of an appender.
            System.err.println("event=startup_refused reason=unknown_log_format EVENTSTORE_LOG_FORMAT=\"" + logFormat
                    + "\" hint=\"set it to text (the default) or json, or unset it\"");
            System.exit(1);
        }
        if (args.length > 0 && args[0].equals(AdminCli.ENTRY)) {
            // Before the first logger: the command's output is stdout, so its logs go to stderr.
            System.setProperty("eventstore.log.target", "System.err");
            // Logback prints its own status on stdout when its configuration warns (an appender unused).
            System.setProperty("logback.statusListenerClass", "ch.qos.logback.core.status.NopStatusListener");
            PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
            PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
            int status = AdminCli.run(Arrays.copyOfRange(args, 1, args.length), Map.of(), out, err);
            out.flush();
            err.flush();
            System.exit(status);
        }
        new Launcher().args(args).mainClass(Application.class).banner(false).start();
    }

    /**
     * Micronaut's launcher, except that an expected refusal to start (the data directory belongs to
     * another instance) is one log line for the person starting it, not a stack trace, and exit
     * status 1.
     */
    private static final class Launcher extends Micronaut {

        private static final Logger LOG = LoggerFactory.getLogger(Application.class);

        @Override
        protected void handleStartupException(Environment environment, Throwable error) {
            for (Throwable cause = error; cause != null; cause = cause.getCause()) {
                if (cause instanceof DataDirectoryInUse inUse) {
                    LOG.error("event=startup_refused reason=data_directory_in_use dataDir={} lockFile={} pid={} holder=\"{}\" "
                                    + "hint=\"{}\"", inUse.dataDir(), inUse.lockFile(),
                            inUse.holderPid().isPresent() ? inUse.holderPid().getAsLong() : "unknown", inUse.holder(),
                            DataDirectoryInUse.hint());
                    System.exit(1);
                }
            }
            super.handleStartupException(environment, error);
        }
    }
}
