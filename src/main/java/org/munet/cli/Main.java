package org.munet.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code munet} command (deploy/munet locally, spark-submit on a cluster). */
@Command(
        name = "munet",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "µ2Net: grow one multitask ViT by evolution, on Spark or on one machine.",
        subcommands = {EvolveCommand.class, StatusCommand.class, FsckCommand.class, CompareCommand.class,
                TrainCommand.class, PredictCommand.class, ExportCommand.class, ReportCommand.class, PredictBenchCommand.class,
                BenchCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line on the standard streams and returns its exit code. */
    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** Runs a command line with the given output streams (tests capture them). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return new CommandLine(new Main())
                .setOut(out)
                .setErr(err)
                .setExecutionExceptionHandler(new UserErrorHandler())
                .execute(args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: try 'munet train --help'");
    }
}
