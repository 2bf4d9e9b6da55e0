package org.munet.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The environment a training process needs (MKL's reproducible kernels, glibc's allocator keeping
 * freed memory) is written in four places, one per launcher: {@code deploy/java-flags.sh} (driver
 * and local runs), {@code spark-defaults.conf} (executors), the k8s CronJob, and the pom (this test
 * JVM). They must say the same, or a cluster run would train other bits, or slower, than a local one.
 */
class ProcessEnvironmentTest {

    @Test
    void everyLauncherSetsTheSameEnvironment() throws IOException {
        String flags = Files.readString(Path.of("deploy/java-flags.sh"));
        String cronJob = Files.readString(Path.of("deploy/nightly/k8s-cronjob.yaml"));
        var defaults = SparkProperties.read(Path.of("spark-conf/spark-defaults.conf"));
        for (String variable : new String[] {"MKL_CBWR", "GLIBC_TUNABLES"}) {
            String launcher = exportedDefault(flags, variable);
            assertEquals(launcher, defaults.get("spark.executorEnv." + variable), variable + " of the executors");
            assertEquals(launcher, System.getenv(variable), variable + " of the test JVM (pom.xml)");
            assertTrue(cronJob.contains("spark.executorEnv." + variable + "=" + launcher + "\n"),
                    variable + " of the CronJob's executors");
        }
        String tunables = exportedDefault(flags, "GLIBC_TUNABLES");
        assertTrue(cronJob.contains("spark.kubernetes.driverEnv.GLIBC_TUNABLES=" + tunables + "\n"),
                "GLIBC_TUNABLES of the CronJob's driver");
    }

    /** The value {@code export NAME="${NAME:-value}"} (or {@code -value}) gives when NAME is unset. */
    private static String exportedDefault(String script, String name) {
        Matcher m = Pattern.compile("(?m)^export " + name + "=\"\\$\\{" + name + ":?-([^}]*)}\"$").matcher(script);
        assertTrue(m.find(), "deploy/java-flags.sh exports " + name);
        return m.group(1);
    }
}
