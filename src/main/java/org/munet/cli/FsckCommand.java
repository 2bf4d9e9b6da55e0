package org.munet.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.munet.store.HadoopConf;
import org.munet.store.Leftover;
import org.munet.store.StateRepair;
import org.munet.store.StateReport;
import org.munet.store.StateStore;
import org.munet.store.StateVerifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code munet fsck}: checks a state ({@link StateVerifier}): what was committed since its last
 * healthy check by default, every kept version with {@code --full}; with {@code --repair} it first
 * removes staging and temporary files and finishes an interrupted garbage collection
 * ({@link StateRepair}). {@code check} is the old name, kept as an alias so that scripts keep working.
 */
@Command(name = "fsck", aliases = "check", mixinStandardHelpOptions = true,
        description = {"Check a state: manifests, component checksums, history, config. By default only what was"
                + " committed since the last healthy check (recorded in the state's fsck.json); --full checks every"
                + " kept version and hashes every component file.",
                "Exit 0 when nothing committed is damaged (leftovers of crashes are listed, not errors), 1 otherwise."})
public final class FsckCommand implements Callable<Integer> {

    static final int DAMAGED = 1;

    @Spec
    CommandSpec spec;

    @Option(names = "--state", required = true, description = "State directory or URI.")
    String state;

    @Option(names = "--repair", description = "Remove staging and temporary files (takes the state's lock; "
            + "never touches committed files).")
    boolean repair;

    @Option(names = "--full", description = "Check every kept version and hash every referenced component file,"
            + " and list component files no kept version references.")
    boolean full;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        StateStore store = StateStore.open(state, HadoopConf.forThisJvm());
        if (!store.exists()) {
            throw new IllegalArgumentException("no state at " + store.uri() + ": check the --state path");
        }
        StateVerifier.Mode mode = full ? StateVerifier.Mode.FULL : StateVerifier.Mode.INCREMENTAL;
        StateReport report = StateVerifier.record(store,
                repair ? StateRepair.repair(store, mode) : StateVerifier.verify(store, mode));
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(asJson(report)));
        } else {
            report.lines().forEach(out::println);
        }
        out.flush();
        return report.healthy() ? 0 : DAMAGED;
    }

    private static Map<String, Object> asJson(StateReport r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("state", r.state().toString());
        m.put("healthy", r.healthy());
        m.put("latest_version", r.latestVersion());
        m.put("mode", r.mode().name().toLowerCase(java.util.Locale.ROOT));
        m.put("checked_from_version", r.from());
        m.put("versions", r.versions());
        m.put("components", r.components());
        m.put("bytes", r.bytes());
        m.put("errors", r.errors());
        m.put("leftovers", leftovers(r.leftovers()));
        m.put("removed", leftovers(r.removed()));
        return m;
    }

    private static List<Map<String, Object>> leftovers(List<Leftover> list) {
        return list.stream().map(l -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kind", l.kind().name().toLowerCase(java.util.Locale.ROOT));
            m.put("path", l.path());
            m.put("removed_by_repair", l.kind().removedByRepair());
            return m;
        }).toList();
    }
}
