package org.munet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Holds the packages to the layering README's "What is here" table describes, on the compiled
 * classes (the JDK's jdeps reads every reference, fully qualified names and lambdas included, which
 * an import scan would miss). A new arrow is a design decision: make it here, on purpose.
 */
class PackageArrowsTest {

    /** Which of munet's packages each package may use (itself aside). */
    private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("system", Set.of()),
            Map.entry("evolution", Set.of("system")),
            Map.entry("data", Set.of("system")),
            Map.entry("nn", Set.of("data", "system")),
            Map.entry("store", Set.of("system")),
            Map.entry("config", Set.of("evolution", "system")),
            Map.entry("worker", Set.of("data", "evolution", "nn", "store", "system")),
            Map.entry("spark", Set.of("data", "evolution", "nn", "serve", "store", "system", "worker")),
            Map.entry("run", Set.of("config", "data", "evolution", "nn", "store", "system")),
            Map.entry("serve", Set.of("data", "nn", "store", "system")),
            Map.entry("report", Set.of("evolution", "run", "store", "system")),
            Map.entry("cli", Set.of("config", "data", "evolution", "nn", "report", "run", "serve", "spark", "store", "system", "worker")));

    /** Libraries the pure policy packages must not touch: no DJL, Spark, Hadoop or Kryo. */
    private static final List<String> ENGINES = List.of("ai.djl.", "org.apache.spark.", "org.apache.hadoop.",
            "com.esotericsoftware.", "scala.");

    private static final Pattern EDGE = Pattern.compile("^\\s+(org\\.munet\\.[\\w.$]+)\\s+->\\s+([\\w.$]+)");

    private static final List<String[]> edges = new ArrayList<>();

    @BeforeAll
    static void readDependencies() {
        Path classes = Path.of("target", "classes", "org", "munet");
        assertTrue(Files.isDirectory(classes), "compile first: no " + classes.toAbsolutePath());
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = jdeps.run(new PrintWriter(out), new PrintWriter(err), "-verbose:class", "-filter:none",
                Path.of("target", "classes").toString());
        assertEquals(0, rc, "jdeps failed: " + err);
        for (String line : out.toString().split("\n")) {
            Matcher m = EDGE.matcher(line);
            if (m.find()) {
                edges.add(new String[] {m.group(1), m.group(2)});
            }
        }
        assertTrue(edges.size() > 500, "jdeps listed only " + edges.size() + " dependencies");
    }

    private static String munetPackage(String className) {
        if (!className.startsWith("org.munet.")) {
            return null;
        }
        String rest = className.substring("org.munet.".length());
        int dot = rest.indexOf('.');
        return dot < 0 ? "" : rest.substring(0, dot);
    }

    @Test
    void packagesUseOnlyTheirAllowedNeighbours() {
        Set<String> wrong = new TreeSet<>();
        Set<String> seen = new TreeSet<>();
        for (String[] e : edges) {
            String from = munetPackage(e[0]);
            String to = munetPackage(e[1]);
            seen.add(from);
            if (to != null && !to.equals(from)) {
                Set<String> allowed = ALLOWED.get(from);
                if (allowed == null || !allowed.contains(to)) {
                    wrong.add(e[0] + " -> " + e[1]);
                }
            }
        }
        assertEquals(new TreeSet<>(ALLOWED.keySet()), seen, "every package has a row in ALLOWED");
        assertEquals(Set.of(), wrong, "dependencies against the layering");
    }

    @Test
    void thePolicyNeedsNoEngine() {
        Set<String> wrong = new TreeSet<>();
        for (String[] e : edges) {
            String from = munetPackage(e[0]);
            if ("system".equals(from) || "evolution".equals(from)) {
                for (String engine : ENGINES) {
                    if (e[1].startsWith(engine)) {
                        wrong.add(e[0] + " -> " + e[1]);
                    }
                }
            }
        }
        assertEquals(Set.of(), wrong, "system/ and evolution/ are plain Java (Jackson annotations aside)");
    }
}
