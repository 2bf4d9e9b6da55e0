package org.munet.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.munet.evolution.ProgressListener;
import org.munet.worker.LocalCandidateRunner;

/**
 * The analysis notebooks ({@code notebooks/analysis.ipynb}, {@code notebooks/compare.ipynb}) run top
 * to bottom under Debian's {@code /usr/bin/python3} against two small real states (one evolved, one
 * made with the {@code finetune_all} baseline), without an error cell; the leaderboard the analysis
 * notebook computes from the state's files equals {@link StateReader#leaderboard()} (what
 * {@code munet status --json} prints); and the committed notebooks carry no outputs.
 *
 * <p>The states and the executed notebooks are left under {@code target/notebooks-it/} to look at.
 */
class NotebooksIT {

    private static final String PYTHON = "/usr/bin/python3";
    private static final List<String> NOTEBOOKS = List.of("analysis.ipynb", "compare.ipynb");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path work;
    private static String evolved;
    private static String baseline;

    @BeforeAll
    static void states() throws Exception {
        requirePython();
        work = Path.of("target", "notebooks-it").toAbsolutePath();
        deleteTree(work);
        Files.createDirectories(work);
        Path config = TinyRuns.config(work, "two.yaml", List.of("mnist", "fashion_mnist"), 3, 1);
        evolved = work.resolve("evolved").toString();
        baseline = work.resolve("baseline").toString();
        try (LocalCandidateRunner runner = new LocalCandidateRunner(2)) {
            EvolveRun.run(config, evolved, null, null, runner, ProgressListener.NONE);
        }
        try (LocalCandidateRunner runner = new LocalCandidateRunner(2)) {
            EvolveRun.run(config, baseline, null, "finetune_all", runner, ProgressListener.NONE);
        }
    }

    @Test
    void committedNotebooksHaveNoOutputs() throws IOException {
        for (String name : NOTEBOOKS) {
            JsonNode nb = JSON.readTree(notebook(name).toFile());
            int code = 0;
            for (JsonNode cell : nb.get("cells")) {
                if (!"code".equals(cell.path("cell_type").asText())) {
                    continue;
                }
                code++;
                assertEquals(0, cell.path("outputs").size(), name + ": a code cell is committed with outputs "
                        + "(clear them: jupyter-nbconvert --clear-output --inplace notebooks/" + name + ")");
                assertTrue(cell.path("execution_count").isNull(), name + ": a code cell keeps an execution count "
                        + "(clear it: jupyter-nbconvert --clear-output --inplace notebooks/" + name + ")");
            }
            assertTrue(code > 0, name + " has code cells");
        }
    }

    @Test
    void analysisRunsAndItsLeaderboardIsMunets() throws Exception {
        Path out = work.resolve("analysis-leaderboard.json");
        Files.deleteIfExists(out);
        JsonNode executed = execute("analysis.ipynb", Map.of("MUNET_STATE", evolved,
                "MUNET_NOTEBOOK_OUT", out.toString()));
        assertNoErrors("analysis.ipynb", executed);
        assertTrue(Files.isRegularFile(out), "analysis.ipynb wrote no leaderboard to MUNET_NOTEBOOK_OUT");

        JsonNode expected = JSON.valueToTree(new StateReader(evolved).leaderboard());
        JsonNode actual = JSON.readTree(out.toFile());
        assertEquals(2, expected.get("rows").size(), "two tasks evolved");
        assertSameJson("leaderboard", expected, actual);
    }

    @Test
    void compareRunsAgainstTheBaseline() throws Exception {
        Path out = work.resolve("compare.json");
        Files.deleteIfExists(out);
        JsonNode executed = execute("compare.ipynb", Map.of("MUNET_STATE", evolved, "MUNET_BASELINE_STATE", baseline,
                "MUNET_NOTEBOOK_OUT", out.toString()));
        assertNoErrors("compare.ipynb", executed);
        assertTrue(Files.isRegularFile(out), "compare.ipynb wrote no table to MUNET_NOTEBOOK_OUT");

        // Its per-task test accuracies are the two states' own leaderboards'.
        JsonNode table = JSON.readTree(out.toFile());
        Leaderboard.Table e = new StateReader(evolved).leaderboard();
        Leaderboard.Table b = new StateReader(baseline).leaderboard();
        assertEquals(e.rows().size(), table.get("rows").size(), "one row per evolved task");
        for (Leaderboard.Row row : e.rows()) {
            JsonNode r = find(table.get("rows"), row.task());
            assertEquals(row.test(), r.get("test_evolved").asDouble(), 1e-12, row.task() + " evolved test");
            assertEquals(row.newParams(), r.get("new_params_evolved").asLong(), row.task() + " evolved new params");
            Leaderboard.Row base = b.rows().stream().filter(x -> x.task().equals(row.task())).findFirst().orElseThrow();
            assertEquals(base.test(), r.get("test_baseline").asDouble(), 1e-12, row.task() + " baseline test");
            assertEquals(base.newParams(), r.get("new_params_baseline").asLong(), row.task() + " baseline new params");
        }
        assertEquals(e.storedParams(), table.get("stored_params_evolved").asLong());
        assertEquals(b.storedParams(), table.get("stored_params_baseline").asLong());
    }

    // ------------------------------------------------------------------ helpers

    private static Path notebook(String name) {
        return Path.of("notebooks", name).toAbsolutePath();
    }

    /** Fails, telling how to install them, when Debian's Python or the packages the notebooks need are missing. */
    private static void requirePython() throws Exception {
        String hint = "the notebook tests need Debian's " + PYTHON + " with python3-pandas, python3-matplotlib, "
                + "jupyter-nbconvert, python3-nbclient and python3-ipykernel: run deploy/test-setup.sh";
        if (!Files.isExecutable(Path.of(PYTHON))) {
            fail(PYTHON + " not found; " + hint);
        }
        Result r = run(List.of(PYTHON, "-c", "import numpy, pandas, matplotlib, nbconvert, nbclient, ipykernel"),
                Map.of(), 120);
        if (r.exit != 0) {
            fail("missing Python packages (" + r.output.strip() + "); " + hint);
        }
    }

    /** Executes a copy of a notebook with nbconvert and returns the executed notebook. */
    private static JsonNode execute(String name, Map<String, String> env) throws Exception {
        Path outDir = work.resolve("executed");
        Files.createDirectories(outDir);
        Map<String, String> all = new HashMap<>(env);
        // Debian's kernel spec (/usr/bin/python3) first, before any a user installed for another Python.
        all.put("JUPYTER_PATH", "/usr/share/jupyter");
        all.put("PYDEVD_DISABLE_FILE_VALIDATION", "1");
        Result r = run(List.of(PYTHON, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute",
                "--ExecutePreprocessor.timeout=600", "--output-dir", outDir.toString(), notebook(name).toString()),
                all, 900);
        assertEquals(0, r.exit, name + " failed to execute:\n" + r.output);
        Path executed = outDir.resolve(name);
        assertTrue(Files.isRegularFile(executed), "nbconvert wrote no " + executed + ":\n" + r.output);
        return JSON.readTree(executed.toFile());
    }

    private static void assertNoErrors(String name, JsonNode nb) {
        int executedCells = 0;
        for (JsonNode cell : nb.get("cells")) {
            if (!"code".equals(cell.path("cell_type").asText())) {
                continue;
            }
            executedCells++;
            for (JsonNode o : cell.path("outputs")) {
                if ("error".equals(o.path("output_type").asText())) {
                    fail(name + ": cell raised " + o.path("ename").asText() + ": " + o.path("evalue").asText()
                            + "\n" + String.join("", cell.path("source").findValuesAsText("source")));
                }
                if ("stream".equals(o.path("output_type").asText()) && "stderr".equals(o.path("name").asText())) {
                    String text = o.path("text").isArray() ? joined(o.path("text")) : o.path("text").asText();
                    assertTrue(!text.contains("Traceback"),
                            name + ": a cell wrote an error to stderr:\n" + text);
                }
            }
        }
        assertTrue(executedCells > 0, name + " has code cells");
    }

    private static String joined(JsonNode lines) {
        StringBuilder sb = new StringBuilder();
        lines.forEach(l -> sb.append(l.asText()));
        return sb.toString();
    }

    private static JsonNode find(JsonNode rows, String task) {
        for (JsonNode r : rows) {
            if (task.equals(r.path("task").asText())) {
                return r;
            }
        }
        throw new AssertionError("no row for task " + task + " in " + rows);
    }

    /** Equal JSON trees, numbers compared as numbers (a double to 1e-9 relative). */
    private static void assertSameJson(String where, JsonNode expected, JsonNode actual) {
        if (expected.isNumber() && actual.isNumber()) {
            double e = expected.asDouble();
            double a = actual.asDouble();
            assertEquals(e, a, 1e-9 * Math.max(1, Math.abs(e)), where);
        } else if (expected.isObject()) {
            assertTrue(actual.isObject(), where + ": expected an object, got " + actual);
            List<String> names = new ArrayList<>();
            expected.fieldNames().forEachRemaining(names::add);
            List<String> actualNames = new ArrayList<>();
            actual.fieldNames().forEachRemaining(actualNames::add);
            assertEquals(names.stream().sorted().toList(), actualNames.stream().sorted().toList(), where + " fields");
            for (String n : names) {
                assertSameJson(where + "." + n, expected.get(n), actual.get(n));
            }
        } else if (expected.isArray()) {
            assertTrue(actual.isArray(), where + ": expected an array, got " + actual);
            assertEquals(expected.size(), actual.size(), where + " size");
            Iterator<JsonNode> a = actual.iterator();
            int i = 0;
            for (JsonNode e : expected) {
                assertSameJson(where + "[" + i++ + "]", e, a.next());
            }
        } else {
            assertEquals(expected, actual, where);
        }
    }

    private record Result(int exit, String output) {}

    private static Result run(List<String> command, Map<String, String> env, long timeoutSeconds) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        pb.environment().put("MPLBACKEND", "Agg");
        Path log = Files.createTempFile("notebooks-it", ".log");
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", command) + " ran past " + timeoutSeconds + " s:\n" + Files.readString(log));
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.deleteIfExists(log);
        return new Result(p.exitValue(), output);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(f);
            }
        }
    }
}
