package dev.cascade.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/** The {@code cascade} command line. */
@Command(name = "cascade", mixinStandardHelpOptions = true, version = "cascade 0.1.0",
        description = "Self-hosted LLM serving engine with cascades and early exit.",
        subcommands = {InspectCommand.class, TokenizeCommand.class, GenerateCommand.class, BenchCommand.class, EvalCommand.class,
                ServeCommand.class, LoadTestCommand.class, CalibrateCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        int code = commandLine(Console.stdout(), Console.stderr()).execute(args);
        System.exit(code);
    }

    /** A command line that writes to the given streams (tests pass their own). */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        // A user error (bad file, bad option value) is one clear line, not a stack trace.
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            commandLine.getErr().println("cascade: " + ErrorMessages.describe(ex));
            commandLine.getErr().flush();
            return ErrorMessages.isUserError(ex) ? 1 : 70;
        });
        return cl;
    }
}
