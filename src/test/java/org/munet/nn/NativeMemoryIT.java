package org.munet.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Native memory stays flat over a long training. A leaked activation per step (platform-notes,
 * trap 1) shows as RSS growth and never in the Java heap, so RSS is what this measures, in a child
 * JVM whose heap is fixed and pre-touched: there the heap's own growth cannot pass for native
 * growth.
 */
class NativeMemoryIT {

    @Test
    void residentMemoryIsFlatBetweenStep200AndStep2000() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch",
                "-XX:+UseSerialGC", "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1",
                "-Dai.djl.pytorch.num_interop_threads=1",
                "-cp", System.getProperty("java.class.path"), NativeMemoryProbe.class.getName());
        pb.redirectErrorStream(true);
        Process probe = pb.start();
        List<Long> rss = new ArrayList<>();
        StringBuilder output = new StringBuilder();
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(probe.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                output.append(line).append('\n');
                if (line.startsWith("rss ")) {
                    rss.add(Long.parseLong(line.split(" ")[2]));
                }
            }
        }
        assertTrue(probe.waitFor(10, TimeUnit.MINUTES), "probe did not finish");
        assertEquals(0, probe.exitValue(), "probe failed:\n" + output);
        assertEquals(10, rss.size(), "one RSS reading per 200 steps:\n" + output);
        long atStep200 = rss.get(0);
        long atStep2000 = rss.get(rss.size() - 1);
        assertTrue(atStep200 > 0, "RSS must be readable from /proc/self/status");
        double growth = (atStep2000 - atStep200) / (double) atStep200;
        System.out.printf("RSS at step 200: %d MB, at step 2000: %d MB (%+.1f%%)%n",
                atStep200 >> 20, atStep2000 >> 20, 100 * growth);
        assertTrue(growth < 0.10, "RSS grew " + (100 * growth) + "% between step 200 and 2000: " + rss);
    }
}
