package org.munet.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.imageio.ImageIO;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.munet.cli.Main;
import org.munet.run.Leaderboard;
import org.munet.run.StateReader;
import org.munet.run.TinyRuns;

/**
 * The report of a real (tiny) evolved system, written by {@code evolve --report} and by
 * {@code munet report}, parsed as a browser would: every section is there, every chart is a real
 * picture, and the numbers are the state's.
 */
class ReportTest {

    @TempDir
    static Path dir;

    private static String state;
    private static Document fromEvolve;

    @BeforeAll
    static void evolveWithTheReportOn() throws Exception {
        Path config = TinyRuns.config(dir, "two.yaml", List.of("mnist", "mnist/rot90"), 2, 1);
        state = dir.resolve("state").toString();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = Main.run(new PrintWriter(out), new PrintWriter(err), "evolve", "--config", config.toString(),
                "--state", state, "--runner", "threads", "--workers", "2", "--report", dir.resolve("nightly").toString());
        assertEquals(0, rc, out + "\n" + err);
        assertTrue(out.toString().contains("report: "), out.toString());
        fromEvolve = Jsoup.parse(dir.resolve("nightly").resolve(Report.PAGE).toFile(), "UTF-8");
    }

    @Test
    void everySectionIsThereWithRealCharts() throws Exception {
        for (String id : List.of("runs", "visits", "leaderboard", "learning-curves", "accuracy-parameters", "growth",
                "architecture", "continual", "compute")) {
            assertNotNull(fromEvolve.getElementById(id), "section " + id);
        }
        assertEquals(5, fromEvolve.select("img.chart").size(), "learning curves, accuracy-parameters, growth, shares, architecture");
        for (Element img : fromEvolve.select("img.chart")) {
            String src = img.attr("src");
            assertTrue(src.startsWith("data:image/png;base64,"), "self-contained: " + img.attr("alt"));
            BufferedImage png = ImageIO.read(new ByteArrayInputStream(
                    Base64.getDecoder().decode(src.substring(src.indexOf(',') + 1))));
            assertTrue(png.getWidth() >= 800 && png.getHeight() >= 400, img.attr("alt"));
            assertTrue(colours(png) > 20, img.attr("alt") + " draws something (colours: " + colours(png) + ")");
        }
        assertTrue(fromEvolve.select("script, link[href], img[src^=http]").isEmpty(), "no network needed");
        // The run that wrote the report is recorded in the state, and listed.
        List<Element> runs = fromEvolve.select("table.runs tbody tr");
        assertEquals(1, runs.size());
        List<String> run = cells(runs.get(0));
        assertEquals("mnist, mnist/rot90", run.get(2), "introduced");
        assertEquals(String.valueOf(new StateReader(state).latest().version()), run.get(1));
        assertEquals("every task has had all its visits", run.get(10));
    }

    @Test
    void theNumbersAreTheStates() throws Exception {
        Leaderboard.Table table = new StateReader(state).leaderboard();
        Element leaderboard = fromEvolve.getElementById("leaderboard");
        List<Element> rows = leaderboard.select("tbody tr");
        assertEquals(table.rows().size(), rows.size());
        for (int i = 0; i < rows.size(); i++) {
            Leaderboard.Row expected = table.rows().get(i);
            List<String> cells = rows.get(i).select("td").eachText();
            assertEquals(expected.task(), cells.get(0));
            assertEquals(String.valueOf(expected.pathId()), cells.get(1));
            assertEquals(String.format(Locale.ROOT, "%.2f%%", 100 * expected.test()), cells.get(3));
            assertEquals(String.format(Locale.ROOT, "%,d", expected.newParams()), cells.get(6));
        }
        // The sharing matrix's diagonal is what each task activates; mnist/rot90 shares with mnist at
        // least the frozen root components both paths use, and the matrix is symmetric.
        List<Element> sharing = fromEvolve.select("table.sharing tbody tr");
        for (int i = 0; i < sharing.size(); i++) {
            List<String> cells = sharing.get(i).select("td").eachText();
            assertEquals(String.format(Locale.ROOT, "%,d", table.rows().get(i).activatedParams()), cells.get(1 + i));
            for (int j = 0; j < sharing.size(); j++) {
                assertEquals(cells.get(1 + j), sharing.get(j).select("td").eachText().get(1 + i));
            }
        }
        // The accuracy matrix: a row per task end; the row where a task ended holds its recorded test
        // accuracy, and the frozen mnist keeps it in the later row: the measured BWT is exactly 0.
        List<Element> matrix = fromEvolve.select("table.matrix tbody tr");
        assertEquals(2, matrix.size(), "two task ends");
        assertEquals(cells(matrix.get(0)).get(1), cells(matrix.get(1)).get(1), "mnist's column is constant");
        for (int i = 0; i < table.rows().size(); i++) {
            assertEquals(String.format(Locale.ROOT, "%.2f%%", 100 * table.rows().get(i).test()),
                    cells(matrix.get(i)).get(1 + i), table.rows().get(i).task() + " at its own task end");
        }
        assertEquals("+0.0000", fromEvolve.select("table.continual tbody tr").get(1).select("td").get(1).text());
        String total = fromEvolve.select("#compute tbody tr").last().select("td").get(1).text();
        assertEquals(String.format(Locale.ROOT, "%,.0f", table.computeSeconds()), total);
    }

    @Test
    void theReportCommandWritesTheSamePageWithABaseline() throws Exception {
        String out = dir.resolve("by-command").toString();
        StringWriter printed = new StringWriter();
        assertEquals(0, Main.run(new PrintWriter(printed), new PrintWriter(new StringWriter()), "report", "--state",
                state, "--baseline-state", state, "--out", out, "--price-per-core-hour", "3.6", "--currency", "EUR"));
        Document page = Jsoup.parse(Path.of(out, Report.PAGE).toFile(), "UTF-8");
        assertEquals(cells(fromEvolve.select("table.runs tbody tr").first()), cells(page.select("table.runs tbody tr").first()),
                "the same recorded run");
        assertEquals(fromEvolve.getElementById("leaderboard").text(), page.getElementById("leaderboard").text());
        assertEquals(1, page.select("#accuracy-parameters table").size(), "the baseline's table");
        Leaderboard.Table table = new StateReader(state).leaderboard();
        // 3.6 per core-hour is 0.001 per core-second.
        assertEquals(String.format(Locale.ROOT, "EUR %.4f", table.computeSeconds() / 1000),
                page.select("#compute tbody tr").last().select("td").get(2).text());
        assertTrue(Files.list(Path.of(out)).allMatch(f -> f.getFileName().toString().equals(Report.PAGE)),
                "only index.html: no temporary or checksum files left");
    }

    /** Every cell's text, empty ones included (jsoup's eachText leaves those out). */
    private static List<String> cells(Element row) {
        return row.select("td").stream().map(Element::text).toList();
    }

    private static int colours(BufferedImage img) {
        Set<Integer> seen = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 3) {
            for (int x = 0; x < img.getWidth(); x += 3) {
                seen.add(img.getRGB(x, y));
            }
        }
        return seen.size();
    }
}
