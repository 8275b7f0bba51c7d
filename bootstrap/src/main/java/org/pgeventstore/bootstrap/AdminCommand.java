package org.pgeventstore.bootstrap;

import picocli.CommandLine.Command;

/** The commands of {@code java -jar pg-eventstore.jar admin}; see docs/operations.md, "Admin command line". */
@Command(name = "admin", mixinStandardHelpOptions = true,
        description = "Administers the event store on the service's database configuration, without starting the server.",
        subcommands = {StatsCommand.class, VerifyCommand.class, RebuildCommand.class, KeysCommand.class, ExportCommand.class,
                ImportCommand.class},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:done, and nothing wrong found", "1:failed or found something wrong (the reason on stderr)",
                "2:a command line it does not understand"})
public class AdminCommand {
}
