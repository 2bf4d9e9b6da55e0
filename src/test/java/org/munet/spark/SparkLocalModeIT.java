package org.munet.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.munet.evolution.ProgressListener;
import org.munet.run.EvolveRun;
import org.munet.worker.LocalCandidateRunner;

/**
 * The Spark runner in local mode: a drop-in for the thread runner (the same final system for the
 * same seed), and while a generation's job runs the Spark UI's REST API shows its description and
 * munet's named accumulators.
 */
class SparkLocalModeIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void sameSystemAsThreadRunnerAndVisibleInSparkUi(@TempDir Path dir) throws Exception {
        Path config = SparkTestConfigs.tiny(dir);
        String threadsState = dir.resolve("threads").toString();
        try (LocalCandidateRunner runner = new LocalCandidateRunner(2)) {
            EvolveRun.run(config, threadsState, null, null, runner, ProgressListener.NONE);
        }

        String sparkState = dir.resolve("spark").toString();
        Set<String> descriptions = new ConcurrentSkipListSet<>();
        Set<String> accumulators = new ConcurrentSkipListSet<>();
        JavaSparkContext jsc = SparkContexts.create("munet test", 2);
        AtomicBoolean running = new AtomicBoolean(true);
        Thread poller = new Thread(() -> pollUi(jsc, running, descriptions, accumulators));
        try (SparkCandidateRunner runner = new SparkCandidateRunner(jsc, true)) {
            poller.start();
            EvolveRun.run(config, sparkState, null, null, runner, ProgressListener.NONE);
            pollOnce(jsc, descriptions, accumulators);
            running.set(false);
            poller.join();
        }
        assertEquals(SparkTestConfigs.essence(threadsState), SparkTestConfigs.essence(sparkState),
                "the Spark runner must evolve the same system as the thread runner");
        assertTrue(descriptions.stream().anyMatch(d -> d.matches("task mnist/labels:0-4 · iteration 1 · generation 1/2"
                + " · 2 candidates")), "job descriptions seen: " + descriptions);
        assertTrue(accumulators.containsAll(List.of("munet.candidates trained", "munet.candidates kept",
                "munet.training examples")), "accumulators seen: " + accumulators);
    }

    private static void pollUi(JavaSparkContext jsc, AtomicBoolean running, Set<String> descriptions,
            Set<String> accumulators) {
        while (running.get()) {
            try {
                pollOnce(jsc, descriptions, accumulators);
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                // The UI may not answer while the context starts or stops; the next poll retries.
            }
        }
    }

    private static void pollOnce(JavaSparkContext jsc, Set<String> descriptions, Set<String> accumulators)
            throws Exception {
        String base = jsc.sc().uiWebUrl().get() + "/api/v1/applications/" + jsc.sc().applicationId();
        for (JsonNode job : get(base + "/jobs")) {
            if (job.has("description")) {
                descriptions.add(job.get("description").asText());
            }
        }
        for (JsonNode stage : get(base + "/stages")) {
            for (JsonNode acc : stage.path("accumulatorUpdates")) {
                accumulators.add(acc.get("name").asText());
            }
        }
    }

    private static JsonNode get(String url) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }
}
