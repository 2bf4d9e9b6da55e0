package org.munet.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.munet.run.Leaderboard;
import org.munet.run.StateReader;
import org.munet.store.HadoopConf;
import org.munet.system.Component;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code munet compare}: an evolved system next to a baseline run on the same tasks (typically
 * {@code evolve --baseline finetune_all}, which trains one full model per task at the same compute
 * budget): per task test accuracy, new and activated parameters, and the systems' total size.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Compare an evolved state with a baseline state on the same tasks.")
public final class CompareCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--state", required = true, description = "The evolved system's state.")
    String state;

    @Option(names = "--baseline-state", required = true, description = "The baseline's state (e.g. finetune_all).")
    String baselineState;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Configuration hadoop = HadoopConf.forThisJvm();
        StateReader evolvedReader = new StateReader(state, hadoop);
        StateReader baselineReader = new StateReader(baselineState, hadoop);
        Leaderboard.Table evolved = evolvedReader.leaderboard();
        Leaderboard.Table baseline = baselineReader.leaderboard();
        out.printf(Locale.ROOT, "%-28s %9s %9s %8s %10s %10s %10s %10s%n", "task", "evolved", "baseline", "delta",
                "new(evo)", "new(base)", "act(evo)", "act(base)");
        double sumDelta = 0;
        double sumNewEvo = 0;
        double sumNewBase = 0;
        int n = 0;
        for (Leaderboard.Row e : evolved.rows()) {
            Leaderboard.Row b = baseline.rows().stream().filter(r -> r.task().equals(e.task())).findFirst().orElse(null);
            if (b == null || e.test() == null || b.test() == null) {
                continue;
            }
            double delta = e.test() - b.test();
            out.printf(Locale.ROOT, "%-28s %8.2f%% %8.2f%% %+7.2f%% %10d %10d %10d %10d%n", e.task(), 100 * e.test(),
                    100 * b.test(), 100 * delta, e.newParams(), b.newParams(), e.activatedParams(), b.activatedParams());
            sumDelta += delta;
            sumNewEvo += e.newParams();
            sumNewBase += b.newParams();
            n++;
        }
        if (n == 0) {
            throw new IllegalArgumentException("the two states share no task with a test accuracy");
        }
        long evolvedStored = evolved.storedParams() - rootParams(evolvedReader);
        long baselineStored = baseline.storedParams() - rootParams(baselineReader);
        out.printf(Locale.ROOT, "average test accuracy delta: %+.2f%% over %d tasks%n", 100 * sumDelta / n, n);
        out.printf(Locale.ROOT, "new parameters per task: evolved %.0f, baseline %.0f (%.0f%% fewer)%n",
                sumNewEvo / n, sumNewBase / n, 100 * (1 - sumNewEvo / sumNewBase));
        out.printf(Locale.ROOT, "parameters stored for the tasks (root excluded): evolved %d, baseline %d (%.2fx)%n",
                evolvedStored, baselineStored, baselineStored / (double) evolvedStored);
        out.printf(Locale.ROOT, "training compute: evolved %.0f core-s, baseline %.0f core-s%n",
                evolved.computeSeconds(), baseline.computeSeconds());
        out.flush();
        return 0;
    }

    /** Parameters held only by the root (the random init both systems start from). */
    private static long rootParams(StateReader reader) {
        long sum = 0;
        for (Component c : reader.latest().population().components()) {
            if (c.locks().equals(java.util.Set.of(Component.NOT_TRAINABLE))) {
                sum += c.parameterCount();
            }
        }
        return sum;
    }
}
