package org.munet.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.munet.run.Leaderboard;
import org.munet.system.Component;
import org.munet.system.ComponentNames;
import org.munet.system.TaskPath;

/**
 * The report's charts, drawn by JFreeChart and encoded as PNG: learning curves, accuracy against
 * parameters, growth over versions, per-task shares (the paper's Figure 2) and the architecture
 * graph. Each method returns the PNG's bytes.
 */
final class Charts {

    static final int WIDTH = 900;
    static final int HEIGHT = 420;

    /** One colour per task, stable across charts; the root's components are grey. */
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
            new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2),
            new Color(0x17becf), new Color(0xbcbd22), new Color(0x393b79)};
    static final Color ROOT = new Color(0x9e9e9e);

    static {
        // Charts are drawn on servers and in CI, without a display.
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() {}

    static Color colour(int taskIndex) {
        return PALETTE[taskIndex % PALETTE.length];
    }

    /** Validation accuracy after each training round along each best path's lineage, and its test point. */
    static byte[] learningCurves(Map<String, ReportData.Lineage> lineages) {
        XYSeriesCollection data = new XYSeriesCollection();
        List<Integer> ends = new ArrayList<>();
        for (ReportData.Lineage l : lineages.values()) {
            XYSeries s = new XYSeries(l.task() + " (validation)");
            int round = 0;
            for (ReportData.LineageStep step : l.steps()) {
                for (double e : step.evals()) {
                    s.add(++round, e);
                }
            }
            data.addSeries(s);
            ends.add(round);
        }
        int i = 0;
        for (ReportData.Lineage l : lineages.values()) {
            XYSeries t = new XYSeries(l.task() + " (test)");
            if (l.test() != null) {
                t.add(ends.get(i), l.test());
            }
            data.addSeries(t);
            i++;
        }
        JFreeChart chart = ChartFactory.createXYLineChart("Learning curves along each task's best lineage",
                "training round (ancestors first)", "accuracy", data, PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
        int n = lineages.size();
        for (int k = 0; k < n; k++) {
            r.setSeriesPaint(k, colour(k));
            r.setSeriesPaint(n + k, colour(k));
            r.setSeriesLinesVisible(n + k, false);
            r.setSeriesShape(n + k, new java.awt.geom.Rectangle2D.Double(-5, -5, 10, 10));
        }
        plot.setRenderer(r);
        ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
        return png(chart);
    }

    /**
     * Test accuracy against parameters per task: new to the task and activated, the evolved system
     * next to a baseline's when given.
     */
    static byte[] accuracyAgainstParameters(Leaderboard.Table evolved, Leaderboard.Table baseline) {
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(points("evolved: new parameters", evolved, true));
        data.addSeries(points("evolved: activated parameters", evolved, false));
        if (baseline != null) {
            data.addSeries(points("baseline: new parameters", baseline, true));
            data.addSeries(points("baseline: activated parameters", baseline, false));
        }
        JFreeChart chart = ChartFactory.createScatterPlot("Test accuracy against parameters per task",
                "parameters", "test accuracy", data, PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
        for (Leaderboard.Row row : evolved.rows()) {
            if (row.test() != null) {
                XYTextAnnotation a = new XYTextAnnotation(" " + row.task(), row.newParams(), row.test());
                a.setTextAnchor(TextAnchor.BOTTOM_LEFT);
                a.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
                plot.addAnnotation(a);
            }
        }
        return png(chart);
    }

    private static XYSeries points(String name, Leaderboard.Table table, boolean newParams) {
        XYSeries s = new XYSeries(name, false);
        for (Leaderboard.Row row : table.rows()) {
            if (row.test() != null) {
                s.add(newParams ? row.newParams() : row.activatedParams(), row.test());
            }
        }
        return s;
    }

    /** Stored parameters and tasks over the state's versions. */
    static byte[] growth(List<ReportData.Growth> growth) {
        XYSeries params = new XYSeries("parameters stored");
        XYSeries tasks = new XYSeries("tasks");
        for (ReportData.Growth g : growth) {
            params.add(g.version(), g.storedParams());
            tasks.add(g.version(), g.tasks());
        }
        JFreeChart chart = ChartFactory.createXYLineChart("System growth over versions", "version",
                "parameters stored", new XYSeriesCollection(params), PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        NumberAxis taskAxis = new NumberAxis("tasks");
        taskAxis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        plot.setRangeAxis(1, taskAxis);
        plot.setDataset(1, new XYSeriesCollection(tasks));
        plot.mapDatasetToRangeAxis(1, 1);
        XYLineAndShapeRenderer second = new XYLineAndShapeRenderer(true, false);
        second.setSeriesPaint(0, colour(1));
        plot.setRenderer(1, second);
        return png(chart);
    }

    /** Per task, its new parameters and the parameters it activates, as shares of all stored (Figure 2). */
    static byte[] shares(Leaderboard.Table table) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (Leaderboard.Row row : table.rows()) {
            data.addValue(100.0 * row.newParams() / table.storedParams(), "new parameters (% of stored)", row.task());
            data.addValue(100.0 * row.activatedParams() / table.storedParams(), "activated (% of stored)", row.task());
        }
        JFreeChart chart = ChartFactory.createBarChart("Parameters per task, as a share of all stored", "task",
                "% of stored parameters", data, PlotOrientation.VERTICAL, true, false, false);
        CategoryPlot plot = chart.getCategoryPlot();
        plot.getRenderer().setSeriesPaint(0, colour(0));
        plot.getRenderer().setSeriesPaint(1, colour(1));
        return png(chart);
    }

    /**
     * The architecture graph: every live component a node, at its slot in a path (x) and stacked by
     * id among the components of that slot (y), coloured by the task that trained it; each task's
     * best path a line through the components it activates, its test accuracy at its head.
     */
    static byte[] architecture(ReportData data) {
        Map<String, TaskPath> best = data.bestPaths();
        List<String> tasks = new ArrayList<>(best.keySet());
        Map<Long, double[]> at = new HashMap<>();
        Map<Integer, Integer> stacked = new HashMap<>();
        List<Component> components = new ArrayList<>(data.latest().population().components());
        components.sort((a, b) -> Long.compare(a.id(), b.id()));
        int layers = 0;
        for (Component c : components) {
            String kind = ComponentNames.kind(c.name());
            if (kind.equals(ComponentNames.ENCODER_BLOCK_PREFIX) || kind.equals(ComponentNames.ADAPTER_PREFIX)) {
                layers = Math.max(layers, layer(c.name(), kind) + 1);
            }
        }
        for (Component c : components) {
            int slot = slot(c.name(), layers);
            at.put(c.id(), new double[] {slot, stacked.merge(slot, 1, Integer::sum) - 1});
        }
        XYSeriesCollection series = new XYSeriesCollection();
        // Nodes first, one series per trainer (root, then each task), so each gets its colour.
        Map<String, XYSeries> nodes = new LinkedHashMap<>();
        nodes.put(Component.NOT_TRAINABLE, new XYSeries("root's components", false));
        for (String t : tasks) {
            nodes.put(t, new XYSeries("trained by " + t, false));
        }
        for (Component c : components) {
            double[] p = at.get(c.id());
            nodes.computeIfAbsent(data.trainedBy(c.id()), k -> new XYSeries("trained by " + k, false)).add(p[0], p[1]);
        }
        nodes.values().forEach(series::addSeries);
        int firstPath = series.getSeriesCount();
        for (String t : tasks) {
            XYSeries line = new XYSeries(t + "'s path", false);
            for (long id : best.get(t).componentIds()) {
                double[] p = at.get(id);
                line.add(p[0], p[1]);
            }
            series.addSeries(line);
        }
        JFreeChart chart = ChartFactory.createXYLineChart("Architecture: components and each task's best path",
                null, "components of the slot", series, PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer();
        List<String> trainers = new ArrayList<>(nodes.keySet());
        for (int k = 0; k < firstPath; k++) {
            String trainer = trainers.get(k);
            r.setSeriesLinesVisible(k, false);
            r.setSeriesShape(k, new java.awt.geom.Ellipse2D.Double(-6, -6, 12, 12));
            r.setSeriesPaint(k, trainer.equals(Component.NOT_TRAINABLE) ? ROOT : colour(tasks.indexOf(trainer)));
        }
        for (int k = 0; k < tasks.size(); k++) {
            int s = firstPath + k;
            r.setSeriesShapesVisible(s, false);
            r.setSeriesPaint(s, colour(k));
            r.setSeriesStroke(s, new BasicStroke(2.5f));
            TaskPath p = best.get(tasks.get(k));
            double[] head = at.get(p.componentIds().get(p.componentIds().size() - 1));
            Double test = data.lineages().get(tasks.get(k)).test();
            XYTextAnnotation a = new XYTextAnnotation(String.format(java.util.Locale.ROOT, " %s %s", tasks.get(k),
                    test == null ? "" : String.format(java.util.Locale.ROOT, "%.2f%%", 100 * test)), head[0], head[1]);
            a.setTextAnchor(TextAnchor.CENTER_LEFT);
            a.setPaint(colour(k));
            plot.addAnnotation(a);
        }
        plot.setRenderer(r);
        String[] labels = new String[slot(ComponentNames.HEAD, layers) + 1];
        for (int s = 0; s < labels.length; s++) {
            labels[s] = slotLabel(s, layers);
        }
        SymbolAxis x = new SymbolAxis(null, labels);
        x.setVerticalTickLabels(true);
        // Room on the right for each path's label at its head.
        x.setRange(-0.5, labels.length + 2.5);
        plot.setDomainAxis(x);
        NumberAxis y = (NumberAxis) plot.getRangeAxis();
        y.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        // Nodes on the first and last rows drawn whole.
        y.setLowerMargin(0.08);
        y.setUpperMargin(0.08);
        return png(chart, WIDTH, 520);
    }

    /**
     * A component's column among paths of at most {@code layers} encoder layers: embedding 0, cls 1,
     * posembed 2, adapter i 3+2i, block i 4+2i, then the final norm and the head.
     */
    static int slot(String name, int layers) {
        return switch (ComponentNames.kind(name)) {
            case ComponentNames.EMBEDDING -> 0;
            case ComponentNames.CLS -> 1;
            case ComponentNames.POSEMBED -> 2;
            case ComponentNames.ADAPTER_PREFIX -> 3 + 2 * layer(name, ComponentNames.ADAPTER_PREFIX);
            case ComponentNames.ENCODER_BLOCK_PREFIX -> 4 + 2 * layer(name, ComponentNames.ENCODER_BLOCK_PREFIX);
            case ComponentNames.ENCODER_NORM -> 3 + 2 * layers;
            case ComponentNames.HEAD -> 4 + 2 * layers;
            default -> throw new IllegalArgumentException("unknown component " + name);
        };
    }

    private static int layer(String name, String prefix) {
        return Integer.parseInt(name.substring(prefix.length()));
    }

    private static String slotLabel(int s, int layers) {
        if (s < 3) {
            return List.of("embedding", "cls", "posembed").get(s);
        }
        if (s == 3 + 2 * layers) {
            return "encoder_norm";
        }
        if (s == 4 + 2 * layers) {
            return "head";
        }
        return (s % 2 == 1 ? "adapter " : "block ") + ((s - 3) / 2);
    }

    static byte[] png(JFreeChart chart) {
        return png(chart, WIDTH, HEIGHT);
    }

    static byte[] png(JFreeChart chart, int width, int height) {
        chart.setBackgroundPaint(Color.WHITE);
        Color grid = new Color(0xdddddd);
        if (chart.getPlot() instanceof XYPlot xy) {
            xy.setBackgroundPaint(Color.WHITE);
            xy.setDomainGridlinePaint(grid);
            xy.setRangeGridlinePaint(grid);
            if (xy.getDomainAxis() instanceof SymbolAxis symbols) {
                symbols.setGridBandsVisible(false);
            }
        } else if (chart.getPlot() instanceof CategoryPlot category) {
            category.setBackgroundPaint(Color.WHITE);
            category.setRangeGridlinePaint(grid);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ChartUtils.writeChartAsPNG(out, chart, width, height);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
