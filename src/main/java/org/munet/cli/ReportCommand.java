package org.munet.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.Locale;
import org.munet.report.ContinualMetrics;
import java.util.Locale;
import org.munet.report.ContinualMetrics;
import org.munet.report.Report;
import org.munet.report.ReportData;
import org.munet.report.ReportPage;
import org.munet.store.HadoopConf;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code munet report}: the morning report of a state, one self-contained HTML page. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write a state's report (leaderboard, learning curves, growth, architecture, sharing,"
                + " compute) as one self-contained HTML page, DIR/index.html.")
public final class ReportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--state", required = true, description = "State directory or URI.")
    String state;

    @Option(names = "--out", required = true, description = "Directory (or URI) to write index.html into.")
    String out;

    @Option(names = "--baseline-state", description = "A baseline's state (evolve --baseline) to compare with.")
    String baselineState;

    @Option(names = "--price-per-core-hour", defaultValue = "0.05",
            description = "What a core-hour costs, for the compute section (default: ${DEFAULT-VALUE}).")
    double pricePerCoreHour;

    @Option(names = "--currency", defaultValue = "USD", description = "The price's currency (default: ${DEFAULT-VALUE}).")
    String currency;

    @Override
    public Integer call() {
        PrintWriter w = spec.commandLine().getOut();
        var hadoop = HadoopConf.forThisJvm();
        ReportData data = ReportData.read(state, baselineState, hadoop);
        String page = Report.write(data, new ReportPage.Prices(pricePerCoreHour, currency), out, hadoop);
        w.println("report: " + page);
        if (!data.accuracyMatrix().isEmpty()) {
            // The summaries on stdout too, for scripts (deploy/bench/continual.sh).
            ContinualMetrics m = ContinualMetrics.of(data.accuracyMatrix(), data.classCounts());
            w.printf(Locale.ROOT, "continual: ACC %.4f BWT %+.4f FWT %+.4f parameters %d compute %.0f%n", m.acc(),
                    m.bwt(), m.fwt(), data.leaderboard().storedParams(), data.leaderboard().computeSeconds());
        }
        w.flush();
        return 0;
    }
}
