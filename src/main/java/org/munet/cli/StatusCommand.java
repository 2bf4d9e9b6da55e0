package org.munet.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.munet.run.Leaderboard;
import org.munet.run.StateReader;
import org.munet.store.HadoopConf;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code munet status}: the leaderboard of a state's latest committed version. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Print the leaderboard of a state: per task accuracy and parameters, and totals.")
public final class StatusCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--state", required = true, description = "State directory or URI.")
    String state;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Leaderboard.Table table = new StateReader(state, HadoopConf.forThisJvm()).leaderboard();
        if (json) {
            out.println(new ObjectMapper().writeValueAsString(table));
        } else {
            print(out, table);
        }
        out.flush();
        return 0;
    }

    public static void print(PrintWriter out, Leaderboard.Table t) {
        out.printf(Locale.ROOT, "%-28s %6s %9s %7s %6s %10s %10s %10s %4s %9s%n", "task", "path", "val acc",
                "test", "comps", "activated", "new", "shared", "gen", "compute");
        for (Leaderboard.Row r : t.rows()) {
            out.printf(Locale.ROOT, "%-28s %6d %9s %7s %6d %10d %10d %10d %4d %8.0fs%n", r.task(), r.pathId(),
                    pct(r.validation()), pct(r.test()), r.components(), r.activatedParams(), r.newParams(),
                    r.sharedParams(), r.generation(), r.computeSeconds());
        }
        out.printf(Locale.ROOT, "system: %d tasks, %d parameters stored, %.0f core-seconds of training, version %d%n",
                t.tasks(), t.storedParams(), t.computeSeconds(), t.version());
        out.flush();
    }

    private static String pct(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.2f%%", 100 * v);
    }
}
