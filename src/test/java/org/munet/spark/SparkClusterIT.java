package org.munet.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.munet.evolution.ProgressListener;
import org.munet.run.EvolveRun;
import org.munet.testing.ChildJvm;
import org.munet.worker.LocalCandidateRunner;

/**
 * The Spark runner on a real cluster: Spark's local-cluster mode runs a master and workers and
 * launches every executor in its own JVM, from a SPARK_HOME assembled out of the Maven jars
 * (deploy/spark-home.sh). The cluster evolves the same system as the thread runner, also when an
 * executor JVM is killed in the middle of the run.
 */
class SparkClusterIT {

    @Test
    void clusterEvolvesTheSameSystemAndSurvivesALostExecutor(@TempDir Path dir) throws Exception {
        Path config = SparkTestConfigs.tiny(dir);
        String reference = dir.resolve("threads").toString();
        try (LocalCandidateRunner runner = new LocalCandidateRunner(2)) {
            EvolveRun.run(config, reference, null, null, runner, ProgressListener.NONE);
        }

        Path sparkHome = sparkHome();
        Path state = dir.resolve("cluster");
        Path log = dir.resolve("driver.log");
        Process driver = driver(sparkHome, config, state, log);
        // Kill an executor once the second generation's candidates are training: the listener
        // logs "[spark] job N started: task mnist/labels:0-4 · iteration 1 · generation 2/2 · ...".
        String secondGenerationStarted = "started: task mnist/labels:0-4 · iteration 1 · generation 2/2";
        long killed = -1;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(6);
        while (driver.isAlive() && System.nanoTime() < deadline && killed < 0) {
            List<ProcessHandle> executors = executors(driver);
            if (executors.size() == 2 && Files.exists(log)
                    && Files.readString(log, StandardCharsets.UTF_8).contains(secondGenerationStarted)) {
                killed = executors.get(0).pid();
                executors.get(0).destroyForcibly();
            }
            Thread.sleep(100); // poll interval
        }
        assertTrue(driver.waitFor(6, TimeUnit.MINUTES), "driver did not finish:\n" + tail(log));
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, driver.exitValue(), "driver failed:\n" + tail(log));
        assertTrue(killed > 0, "an executor JVM was killed during the run:\n" + tail(log));
        assertTrue(output.contains("system: 2 tasks"), "leaderboard printed:\n" + tail(log));
        assertTrue(output.contains("rehearsal steps on each"),
                "the executors warmed up, training a throwaway path, before the first generation:\n" + tail(log));
        long retried = output.lines().filter(l -> l.contains("Spark retries it")).count();
        System.out.println("executor " + killed + " killed; candidate tasks lost and retried: " + retried);
        assertEquals(SparkTestConfigs.essence(reference), SparkTestConfigs.essence(state.toString()),
                "the cluster must evolve the same system as the thread runner");
    }

    /** SPARK_HOME made of the Maven jars: what executors of the local cluster are launched from. */
    static Path sparkHome() throws IOException, InterruptedException {
        Path home = Path.of("target", "spark-home").toAbsolutePath();
        Process p = new ProcessBuilder("bash", "deploy/spark-home.sh", home.toString()).redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES) && p.exitValue() == 0, "spark-home.sh failed: " + out);
        assertTrue(Files.isDirectory(home.resolve("jars")), out);
        return home;
    }

    private static Process driver(Path sparkHome, Path config, Path state, Path log) throws IOException {
        List<String> cmd = new ArrayList<>(ChildJvm.command("-Xmx2g",
                "-Dspark.master=local-cluster[2,1,1536]",
                "-Dspark.executor.extraClassPath=" + Path.of("target", "classes").toAbsolutePath(),
                "-Dspark.executor.extraJavaOptions=-Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1"
                        + " -Dai.djl.pytorch.num_interop_threads=1",
                "-Dspark.ui.enabled=false"));
        cmd.addAll(List.of("org.munet.cli.Main", "evolve", "--config", config.toString(), "--state",
                state.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SPARK_HOME", sparkHome.toString());
        pb.environment().put("SPARK_SCALA_VERSION", "2.13");
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        return pb.start();
    }

    static List<ProcessHandle> executors(Process driver) {
        List<ProcessHandle> out = new ArrayList<>();
        driver.descendants().forEach(p -> {
            if (p.info().commandLine().orElse("").contains("CoarseGrainedExecutorBackend")) {
                out.add(p);
            }
        });
        return out;
    }

    static String tail(Path log) throws IOException {
        if (!Files.exists(log)) {
            return "(no log)";
        }
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }
}
