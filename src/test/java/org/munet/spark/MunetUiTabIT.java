package org.munet.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.munet.evolution.ProgressListener;
import org.munet.run.EvolveRun;
import org.munet.store.SparkProperties;
import org.munet.testing.ChildJvm;

/**
 * The µ2Net tab: during a real evolution under Spark local mode, {@code /munet/} and
 * {@code /munet/json} show the running generation (a candidate training on the driver's executor)
 * and the leaderboard; then a History Server started on the run's event log serves the tab of the
 * finished application with the same leaderboard.
 */
class MunetUiTabIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void tabShowsTheRunningGenerationAndTheHistoryServerRebuildsIt(@TempDir Path dir) throws Exception {
        Path config = SparkTestConfigs.tiny(dir);
        Path events = Files.createDirectories(dir.resolve("events"));
        Map<String, String> props = new TreeMap<>(SparkProperties.load());
        assertEquals("org.munet.spark.ui.MunetUiPlugin", props.get("spark.plugins"),
                "spark-defaults.conf installs the tab");
        props.put("spark.eventLog.enabled", "true");
        props.put("spark.eventLog.dir", events.toUri().toString());
        props.put("spark.ui.enabled", "true");

        JavaSparkContext jsc = SparkContexts.create("munet ui test", 2, props);
        String appId = jsc.sc().applicationId();
        String tab = jsc.sc().uiWebUrl().get() + "/munet/";
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicReference<JsonNode> seenRunning = new AtomicReference<>();
        AtomicReference<String> seenPage = new AtomicReference<>();
        Thread poller = new Thread(() -> {
            while (running.get() && seenPage.get() == null) {
                try {
                    JsonNode view = JSON.readTree(get(tab + "json"));
                    if (seenRunning.get() == null && runningWithLeaderboard(view)) {
                        seenRunning.set(view);
                    }
                    if (seenRunning.get() != null) {
                        String page = get(tab);
                        if (page.contains("training") && page.contains("Leaderboard")) {
                            seenPage.set(page);
                        }
                    }
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                } catch (IOException e) {
                    // the UI may not answer at once (refused, not 200, not JSON yet); the next poll retries
                }
            }
        });
        JsonNode finalView;
        try (SparkCandidateRunner runner = new SparkCandidateRunner(jsc, true)) {
            poller.start();
            EvolveRun.run(config, dir.resolve("state").toString(), null, null, runner,
                    ProgressListener.all(ProgressListener.NONE, runner.uiEvents()));
            running.set(false);
            poller.join();
            // The listener bus is asynchronous: wait until the last task iteration's end is folded in.
            finalView = null;
            for (int i = 0; i < 100; i++) {
                finalView = JSON.readTree(get(tab + "json"));
                if (finalView.path("taskIterations").size() == 2) {
                    break;
                }
                Thread.sleep(100);
            }
        }
        JsonNode during = seenRunning.get();
        assertNotNull(during, "no poll of " + tab + "json saw a candidate training with a leaderboard");
        assertEquals("training", during.path("current").path("phase").asText(), during.toString());
        assertEquals(2, during.path("candidates").size(), during.toString());
        assertNotNull(seenPage.get(), "the HTML page never showed a training candidate and the leaderboard");
        assertTrue(seenPage.get().contains("µ2Net"), "the tab's title");

        assertEquals(2, finalView.path("taskIterations").size(), finalView.toString());
        assertEquals(4, finalView.path("generations").size(), finalView.toString());
        JsonNode leaderboard = finalView.path("leaderboard");
        assertEquals(List.of("mnist/labels:0-4", "fashion_mnist/labels:5-9"),
                List.of(leaderboard.get(0).path("task").asText(), leaderboard.get(1).path("task").asText()));
        assertTrue(leaderboard.get(0).path("test").isNumber(), "tested at the end of task: " + leaderboard);

        // The finished application in a History Server on its event log.
        // Spark 4 rolls (and compresses) event logs: a folder eventlog_v2_APPID of events_N_APPID files.
        try (var files = Files.walk(events)) {
            List<Path> all = files.filter(Files::isRegularFile).toList();
            assertTrue(all.stream().anyMatch(f -> f.getFileName().toString().contains(appId))
                    && all.stream().noneMatch(f -> f.getFileName().toString().endsWith(".inprogress")),
                    "the finished application's event log: " + all);
        }
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        List<String> cmd = ChildJvm.command("-Dspark.history.fs.logDirectory=" + events.toUri(),
                "-Dspark.history.ui.port=" + port, "-Dspark.history.fs.update.interval=1s");
        cmd.add("org.apache.spark.deploy.history.HistoryServer");
        Process hs = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("history-server.log").toFile()).start();
        try {
            String history = "http://127.0.0.1:" + port + "/history/" + appId + "/munet/";
            JsonNode rebuilt = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (System.nanoTime() < deadline && hs.isAlive()) {
                try {
                    JsonNode v = JSON.readTree(get(history + "json"));
                    if (v.path("leaderboard").size() > 0) {
                        rebuilt = v;
                        break;
                    }
                } catch (IOException e) {
                    // not up yet, or the application not listed yet
                }
                Thread.sleep(500);
            }
            assertNotNull(rebuilt, "the History Server served no µ2Net tab at " + history + "json; its log:\n"
                    + Files.readString(dir.resolve("history-server.log")));
            assertEquals(leaderboard, rebuilt.path("leaderboard"), "the History Server's leaderboard");
            assertEquals(finalView.path("generations"), rebuilt.path("generations"));
            String page = get(history);
            assertTrue(page.contains("Leaderboard") && page.contains("fashion_mnist/labels:5-9"), page);
            assertFalse(page.contains("No µ2Net generation"), page);
        } finally {
            hs.destroy();
            if (!hs.waitFor(20, TimeUnit.SECONDS)) {
                hs.destroyForcibly();
            }
        }
    }

    /** A candidate training on an executor while the leaderboard already has a row. */
    private static boolean runningWithLeaderboard(JsonNode view) {
        if (!"training".equals(view.path("current").path("phase").asText()) || view.path("leaderboard").isEmpty()) {
            return false;
        }
        for (JsonNode c : view.path("candidates")) {
            if ("training".equals(c.path("state").asText()) && !c.path("executor").asText().isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** The page at {@code url}; an IOException while the server is not up or does not serve it yet. */
    private static String get(String url) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException(url + ": HTTP " + r.statusCode());
        }
        return r.body();
    }
}
