package org.munet.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.munet.run.Leaderboard;
import org.munet.run.RunRecord;
import org.munet.system.Progress;

/**
 * The morning report as one self-contained HTML page: its charts are embedded PNGs (data URIs), its
 * style inline, so it opens anywhere without a network. Each section is a {@code <section>} with an
 * id, so tools and tests can find it.
 */
public final class ReportPage {

    /** What compute costs, to turn core-seconds into money (the figure the µ2Net discussion was about). */
    public record Prices(double perCoreHour, String currency) {}

    private final ReportData data;
    private final Prices prices;
    private final StringBuilder html = new StringBuilder();

    private ReportPage(ReportData data, Prices prices) {
        this.data = data;
        this.prices = prices;
    }

    public static String render(ReportData data, Prices prices) {
        return new ReportPage(data, prices).page();
    }

    private String page() {
        Leaderboard.Table t = data.leaderboard();
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<title>munet report: ").append(esc(data.stateUri())).append("</title>")
                .append("<style>").append(STYLE).append("</style></head><body>\n");
        html.append("<h1>µ2Net system report</h1>\n<p class=\"meta\">State <code>").append(esc(data.stateUri()))
                .append("</code>, version ").append(t.version()).append("; ").append(t.tasks()).append(" tasks, ")
                .append(String.format(Locale.ROOT, "%,d", t.storedParams())).append(" parameters stored, ")
                .append(String.format(Locale.ROOT, "%,.0f", t.computeSeconds())).append(" core-seconds of training. ")
                .append("Written ").append(Instant.now().toString()).append(".</p>\n");
        runs();
        visits();
        leaderboard();
        learningCurves();
        accuracyAgainstParameters();
        growth();
        architecture();
        continual();
        compute();
        html.append("</body></html>\n");
        return html.toString();
    }

    private void runs() {
        open("runs", "Last runs");
        if (data.runs().isEmpty()) {
            html.append("<p>No run is recorded in this state (states record their runs from this version of munet"
                    + " on).</p>\n");
        } else {
            List<List<String>> rows = new ArrayList<>();
            for (RunRecord r : data.runs()) {
                List<String> skipped = new ArrayList<>();
                r.skipped().forEach((task, reason) -> skipped.add(task + ": " + reason));
                rows.add(List.of(r.endedAt().replace('T', ' ').replaceAll("\\.\\d+Z$", "Z"), String.valueOf(r.version()),
                        String.join(", ", r.introduced()), String.join(", ", r.revisited()),
                        String.join(", ", r.improved()), String.join("; ", skipped), String.valueOf(r.generations()),
                        String.valueOf(r.taskIterations()), String.format(Locale.ROOT, "%,.0f", r.computeSeconds()),
                        String.format(Locale.ROOT, "%,.0f s", r.wallSeconds()), r.stopped()));
            }
            table(List.of("ended", "version", "introduced", "revisited", "improved", "skipped (why)", "generations",
                    "task iterations", "core-seconds", "wall", "stopped because"), rows, "runs");
        }
        close();
    }

    private void visits() {
        Progress p = data.latest().progress();
        open("visits", "Task visits");
        html.append("<p>Task iterations finished: ").append(p.visitIndex()).append(". ")
                .append(p.taskStarted() ? "A task iteration is in progress (generation " + p.generation() + ")."
                        : "No task iteration is in progress.").append("</p>\n");
        table(List.of("task", "visits", "last visit (iteration index)"), rows(p));
        close();
    }

    private List<List<String>> rows(Progress p) {
        List<List<String>> rows = new ArrayList<>();
        for (Map.Entry<String, Progress.TaskVisits> e : p.visits().entrySet()) {
            rows.add(List.of(e.getKey(), String.valueOf(e.getValue().count()),
                    String.valueOf(e.getValue().lastVisitIndex())));
        }
        return rows;
    }

    private void leaderboard() {
        open("leaderboard", "Leaderboard");
        List<List<String>> rows = new ArrayList<>();
        for (Leaderboard.Row r : data.leaderboard().rows()) {
            List<String> classes = data.classNames(r.task());
            rows.add(List.of(r.task(), String.valueOf(r.pathId()), pct(r.validation()), pct(r.test()),
                    String.valueOf(r.components()), num(r.activatedParams()), num(r.newParams()), num(r.sharedParams()),
                    String.valueOf(r.generation()), classes(classes)));
        }
        table(List.of("task", "path", "validation", "test", "components", "activated params", "new params",
                "shared params", "generation", "classes"), rows, "leaderboard");
        close();
    }

    /** The class names, shortened past a line's worth: the leaderboard is read at a glance. */
    private static String classes(List<String> names) {
        String all = String.join(", ", names);
        return all.length() <= 24 ? all : all.substring(0, 21) + "... (" + names.size() + ")";
    }

    private void learningCurves() {
        open("learning-curves", "Learning curves");
        html.append("<p>Validation accuracy after each training round of every ancestor on each task's best"
                + " lineage (the reference's <code>get_task_evals</code>), and the best path's test accuracy"
                + " (square).</p>\n");
        image("learning curves", Charts.learningCurves(data.lineages()));
        close();
    }

    private void accuracyAgainstParameters() {
        open("accuracy-parameters", "Accuracy against parameters");
        image("accuracy against parameters", Charts.accuracyAgainstParameters(data.leaderboard(), data.baseline()));
        if (data.baseline() != null) {
            List<List<String>> rows = new ArrayList<>();
            for (Leaderboard.Row r : data.leaderboard().rows()) {
                Leaderboard.Row b = data.baseline().rows().stream().filter(x -> x.task().equals(r.task())).findFirst()
                        .orElse(null);
                rows.add(List.of(r.task(), pct(r.test()), b == null ? "-" : pct(b.test()), num(r.newParams()),
                        b == null ? "-" : num(b.newParams())));
            }
            table(List.of("task", "test (evolved)", "test (baseline)", "new params (evolved)",
                    "new params (baseline)"), rows);
        }
        close();
    }

    private void growth() {
        open("growth", "System growth");
        Leaderboard.Table t = data.leaderboard();
        double newShare = 0;
        double activatedShare = 0;
        for (Leaderboard.Row r : t.rows()) {
            newShare += (double) r.newParams() / t.storedParams();
            activatedShare += (double) r.activatedParams() / t.storedParams();
        }
        int n = Math.max(1, t.rows().size());
        html.append(String.format(Locale.ROOT, "<p>On average a task's own parameters are %.1f %% of all stored"
                + " parameters and a task activates %.1f %% of them (at the end of the paper's 69-task stream: 1.4 %%"
                + " new per incremental task, 2.3 %% activated).</p>%n", 100 * newShare / n, 100 * activatedShare / n));
        image("growth over versions", Charts.growth(data.growth()));
        image("parameters per task as a share of all stored", Charts.shares(t));
        close();
    }

    private void architecture() {
        open("architecture", "Architecture");
        html.append("<p>Every live component at its place in a path, coloured by the task that trained it (grey:"
                + " the root's); each task's best path drawn through the components it activates, its test"
                + " accuracy at its head.</p>\n");
        image("architecture graph", Charts.architecture(data));
        List<String> tasks = new ArrayList<>(data.bestPaths().keySet());
        List<String> header = new ArrayList<>();
        header.add("parameters shared");
        header.addAll(tasks);
        List<List<String>> rows = new ArrayList<>();
        for (String a : tasks) {
            List<String> row = new ArrayList<>();
            row.add(a);
            for (String b : tasks) {
                row.add(num(data.sharedParams(a, b)));
            }
            rows.add(row);
        }
        html.append("<h3>Sharing matrix</h3>\n<p>Parameters two tasks' best paths have in common (the diagonal:"
                + " all a task activates).</p>\n");
        table(header, rows, "sharing");
        close();
    }

    private void continual() {
        open("continual", "Continual learning");
        List<ContinualMetrics.Row> rows = data.accuracyMatrix();
        if (rows.isEmpty()) {
            html.append("<p>No test pass is recorded at a task end in this state yet (states record them from this"
                    + " version of munet on).</p>\n");
            close();
            return;
        }
        html.append("<p>The accuracy matrix R: the test accuracy of every task's live path at the end of every"
                + " task iteration (a test pass of every live path is run and recorded at each task end).</p>\n");
        List<String> tasks = new ArrayList<>(data.bestPaths().keySet());
        List<String> header = new ArrayList<>();
        header.add("after the iteration of");
        header.addAll(tasks);
        List<List<String>> cells = new ArrayList<>();
        for (ContinualMetrics.Row row : rows) {
            List<String> line = new ArrayList<>();
            line.add(row.endedTask() + " (#" + row.visitIndex() + ")");
            for (String t : tasks) {
                line.add(pct(row.accuracy().get(t)));
            }
            cells.add(line);
        }
        table(header, cells, "matrix");
        ContinualMetrics m = ContinualMetrics.of(rows, data.classCounts());
        List<List<String>> summary = new ArrayList<>();
        summary.add(List.of("ACC (mean of the last row)", pct(m.acc())));
        summary.add(List.of("BWT (measured; µ2Net freezes finished tasks, so anything but 0 is a bug)",
                String.format(Locale.ROOT, "%+.4f", m.bwt())));
        summary.add(List.of("FWT against the root (accuracy at introduction minus chance)",
                String.format(Locale.ROOT, "%+.4f", m.fwt())));
        m.forgetting().forEach((task, f) -> summary.add(List.of("forgetting of " + task,
                String.format(Locale.ROOT, "%.4f", f))));
        table(List.of("summary", "value"), summary, "continual");
        close();
    }

    private void compute() {
        open("compute", "Compute");
        Leaderboard.Table t = data.leaderboard();
        List<List<String>> rows = new ArrayList<>();
        for (Leaderboard.Row r : t.rows()) {
            rows.add(List.of(r.task(), String.format(Locale.ROOT, "%,.0f", r.computeSeconds()), cost(r.computeSeconds())));
        }
        rows.add(List.of("total", String.format(Locale.ROOT, "%,.0f", t.computeSeconds()), cost(t.computeSeconds())));
        html.append(String.format(Locale.ROOT, "<p>Training and validation of every candidate, in core-seconds;"
                + " cost at %s %.4f per core-hour (<code>--price-per-core-hour</code>).</p>%n", esc(prices.currency()),
                prices.perCoreHour()));
        table(List.of("task", "core-seconds", "cost"), rows);
        close();
    }

    private String cost(double coreSeconds) {
        return String.format(Locale.ROOT, "%s %.4f", prices.currency(), coreSeconds / 3600 * prices.perCoreHour());
    }

    // ---------------------------------------------------------------- HTML

    private void open(String id, String title) {
        html.append("<section id=\"").append(id).append("\"><h2>").append(esc(title)).append("</h2>\n");
    }

    private void close() {
        html.append("</section>\n");
    }

    private void image(String alt, byte[] png) {
        html.append("<img class=\"chart\" alt=\"").append(esc(alt)).append("\" src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(png)).append("\">\n");
    }

    private void table(List<String> header, List<List<String>> rows) {
        table(header, rows, null);
    }

    private void table(List<String> header, List<List<String>> rows, String cssClass) {
        html.append(cssClass == null ? "<table>" : "<table class=\"" + cssClass + "\">").append("<thead><tr>");
        header.forEach(h -> html.append("<th>").append(esc(h)).append("</th>"));
        html.append("</tr></thead><tbody>\n");
        for (List<String> row : rows) {
            html.append("<tr>");
            row.forEach(c -> html.append("<td>").append(esc(c)).append("</td>"));
            html.append("</tr>\n");
        }
        html.append("</tbody></table>\n");
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static String pct(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.2f%%", 100 * v);
    }

    private static String num(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }

    private static final String STYLE = "body{font-family:system-ui,sans-serif;max-width:960px;margin:2em auto;"
            + "color:#222;padding:0 1em}h1{margin-bottom:.2em}.meta{color:#555}section{margin:2em 0}"
            + "table{border-collapse:collapse;margin:.5em 0;font-size:14px}th,td{border:1px solid #ddd;"
            + "padding:4px 8px;text-align:right}th{background:#f4f4f4}td:first-child,th:first-child{text-align:left}"
            + "img.chart{max-width:100%;border:1px solid #eee;margin:.5em 0}code{background:#f4f4f4;padding:0 3px}"
            + "table.leaderboard{font-size:13px}table.leaderboard td:last-child{text-align:left}"
            + "table.runs{font-size:12px}table.runs td{text-align:left}";
}
