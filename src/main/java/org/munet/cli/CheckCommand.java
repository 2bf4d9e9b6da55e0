package org.munet.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.munet.run.StateReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code munet check}: verifies a state's latest version (files, checksums, references). */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Check a state: every referenced component present with a matching checksum, no dangling references.")
public final class CheckCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--state", required = true, description = "State directory or URI.")
    String state;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        StateReader reader = new StateReader(state);
        List<String> problems = reader.check();
        if (problems.isEmpty()) {
            out.printf("%s version %d is consistent: %d components, %d paths%n", state, reader.latest().version(),
                    reader.latest().population().components().size(), reader.latest().population().paths().size());
            out.flush();
            return 0;
        }
        problems.forEach(p -> spec.commandLine().getErr().println("problem: " + p));
        spec.commandLine().getErr().flush();
        return 1;
    }
}
