package org.munet.testing;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.munet.store.SparkProperties;

/** The start of a command line for a child JVM that runs munet like deploy/munet does. */
public final class ChildJvm {

    private ChildJvm() {}

    /**
     * java, this test JVM's Spark module flags and DJL settings (surefire's argLine, the same list
     * as deploy/java-flags.sh), its Spark defaults file and {@code spark.*} system properties, then
     * {@code extraJvmArgs} and this test JVM's classpath.
     */
    public static List<String> command(String... extraJvmArgs) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-") || arg.startsWith("-Dai.djl") || arg.startsWith("-Dio.netty")
                    || arg.startsWith("--enable-native-access") || arg.startsWith("-Djdk.reflect")
                    || arg.startsWith("-XX:+IgnoreUnrecognizedVMOptions")) {
                cmd.add(arg);
            }
        }
        String log4j = System.getProperty("log4j2.configurationFile");
        if (log4j != null) {
            cmd.add("-Dlog4j2.configurationFile=" + log4j);
        }
        // The Spark defaults file and the build's spark.* overrides, as deploy/munet passes them.
        String defaults = System.getProperty(SparkProperties.DEFAULTS_FILE);
        if (defaults != null) {
            cmd.add("-D" + SparkProperties.DEFAULTS_FILE + "=" + defaults);
        }
        for (String key : new TreeSet<>(System.getProperties().stringPropertyNames())) {
            if (key.startsWith("spark.")) {
                cmd.add("-D" + key + "=" + System.getProperty(key));
            }
        }
        cmd.addAll(List.of(extraJvmArgs));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        return cmd;
    }
}
