package dev.cascade.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code cascade} command line. */
@Command(name = "cascade", mixinStandardHelpOptions = true, version = "cascade 0.1.0",
        description = "Self-hosted LLM serving engine with cascades and early exit.",
        subcommands = {CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        return new CommandLine(new Main());
    }
}
