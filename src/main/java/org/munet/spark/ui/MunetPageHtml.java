package org.munet.spark.ui;

import java.io.IOException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The µ2Net tab's content as well-formed XHTML (Spark's page frame takes scala.xml nodes, which
 * {@link MunetTab} parses from this string), with Spark's own Bootstrap table classes.
 */
final class MunetPageHtml {

    /** As Spark's own pages show times. */
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    private MunetPageHtml() {}

    static MunetUiStore.View parse(String json) {
        if (json == null) {
            return MunetUiStore.View.EMPTY;
        }
        try {
            return MunetUiListener.JSON.readValue(json, MunetUiStore.View.class);
        } catch (IOException e) {
            throw new IllegalStateException("unreadable µ2Net tab state: " + e.getMessage(), e);
        }
    }

    /** @param refresh reload the page every 5 seconds (the page's "refresh" parameter) */
    static String render(MunetUiStore.View v, boolean refresh) {
        StringBuilder h = new StringBuilder("<div>");
        if (refresh) {
            h.append("<meta http-equiv=\"refresh\" content=\"5\"/>");
        }
        h.append("<p><a href=\"json\">JSON</a> · ")
                .append(refresh ? "<a href=\"?\">stop refreshing</a>" : "<a href=\"?refresh=1\">refresh every 5 s</a>")
                .append("</p>");
        MunetUiStore.Current c = v.current();
        if (c == null) {
            h.append("<p>No µ2Net generation has started in this application yet.</p></div>");
            return h.toString();
        }
        h.append("<ul class=\"list-unstyled\">")
                .append(item("Task", c.task()))
                .append(item("Iteration", String.valueOf(c.iteration())))
                .append(item("Generation", c.generation() + " of " + c.generations()))
                .append(item("State", c.phase()))
                .append(item("Generation started", TIME.format(Instant.ofEpochMilli(c.since()))))
                .append("</ul>");

        h.append("<h4>Leaderboard</h4>");
        table(h, List.of("Task", "Best path", "Validation accuracy", "Test accuracy", "Score", "Activated parameters",
                "New parameters"), v.leaderboard(), r -> List.of(r.task(), String.valueOf(r.pathId()),
                        acc(r.validation()), r.test() == null ? "not tested yet" : acc(r.test()), String.format(Locale.ROOT, "%.4f", r.score()),
                        count(r.activatedParams()), count(r.newParams())));

        h.append("<h4>Generation ").append(c.generation()).append(" of ").append(c.generations()).append(" · task ")
                .append(esc(c.task())).append(" · iteration ").append(c.iteration()).append("</h4>");
        table(h, List.of("Spark task", "Path", "Parent", "Mutations", "New parameters", "State", "Executor",
                "Attempts", "Validation accuracy", "Reason"), v.candidates(), r -> List.of(String.valueOf(r.index()),
                        String.valueOf(r.pathId()), r.parentId() == null ? "" : String.valueOf(r.parentId()),
                        mutations(r.mutations()), count(r.newParams()), r.state(), nz(r.executor()),
                        String.valueOf(r.attempts()), acc(r.validation()), nz(r.reason())));

        h.append("<h4>Finished generations</h4>");
        table(h, List.of("Task", "Iteration", "Generation", "Candidates", "Kept", "Rejected", "Best score",
                "Wall time", "Elapsed"), v.generations(), r -> List.of(r.task(), String.valueOf(r.iteration()),
                        r.generation() + "/" + r.generations(), String.valueOf(r.candidates()),
                        String.valueOf(r.kept()), String.join("; ", r.rejected()), r.bestScore() == null ? "" : String.format(Locale.ROOT, "%.4f",
                                r.bestScore()), seconds(r.wallSeconds()), seconds(r.elapsedSeconds())));

        h.append("<h4>Finished task iterations</h4>");
        table(h, List.of("Task", "Iteration", "Validation accuracy", "Test accuracy", "Elapsed"), v.taskIterations(),
                r -> List.of(r.task(), String.valueOf(r.iteration()), acc(r.validation()), acc(r.test()),
                        seconds(r.elapsedSeconds())));
        return h.append("</div>").toString();
    }

    private static String item(String key, String value) {
        return "<li><strong>" + esc(key) + ":</strong> " + esc(value) + "</li>";
    }

    private static <T> void table(StringBuilder h, List<String> headers, List<T> rows, Function<T, List<String>> cells) {
        if (rows.isEmpty()) {
            h.append("<p>None yet.</p>");
            return;
        }
        h.append("<table class=\"table table-bordered table-sm table-striped\"><thead><tr>");
        for (String header : headers) {
            h.append("<th>").append(esc(header)).append("</th>");
        }
        h.append("</tr></thead><tbody>");
        for (T row : rows) {
            h.append("<tr>");
            for (String cell : cells.apply(row)) {
                h.append("<td>").append(esc(cell)).append("</td>");
            }
            h.append("</tr>");
        }
        h.append("</tbody></table>");
    }

    private static String mutations(Map<String, String> m) {
        if (m == null || m.isEmpty()) {
            return "";
        }
        StringBuilder s = new StringBuilder();
        m.forEach((k, v) -> s.append(s.length() == 0 ? "" : ", ").append(k).append(' ').append(v));
        return s.toString();
    }

    private static String acc(Double d) {
        return d == null ? "" : String.format(Locale.ROOT, "%.4f", d);
    }

    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static String seconds(double s) {
        return String.format(Locale.ROOT, "%.1f s", s);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                default -> {
                    if (ch < 0x20 && ch != '\n' && ch != '\t') {
                        out.append(' ');
                    } else {
                        out.append(ch);
                    }
                }
            }
        }
        return out.toString();
    }
}
