package org.munet.store;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The {@code spark.*} keys this JVM runs with, whether or not it starts Spark: the defaults file
 * (spark-conf/spark-defaults.conf), overridden by {@code spark.*} system properties, the order
 * spark-submit gives its {@code --properties-file} and {@code --conf}. spark-submit sets every key
 * as a system property of the driver, so under it no file is named here; launchers that start the
 * JVM themselves (deploy/munet, surefire, tests' child JVMs) name the file with
 * {@code -Dmunet.spark.defaults=FILE}. Commands without Spark ({@code status}, {@code fsck},
 * {@code --runner threads}) read their {@code spark.hadoop.*} keys from here, so they see the same
 * file systems as a Spark run. Plain Java: store/ must not depend on Spark.
 */
public final class SparkProperties {

    /** The system property naming the defaults file. */
    public static final String DEFAULTS_FILE = "munet.spark.defaults";

    private SparkProperties() {}

    /** The defaults file named by {@value #DEFAULTS_FILE} (if any) under this JVM's {@code spark.*} system properties. */
    public static Map<String, String> load() {
        String file = System.getProperty(DEFAULTS_FILE);
        Map<String, String> out = file == null ? new TreeMap<>() : read(Path.of(file));
        for (String key : System.getProperties().stringPropertyNames()) {
            if (key.startsWith("spark.")) {
                out.put(key, System.getProperty(key));
            }
        }
        return out;
    }

    /** A spark-defaults.conf file, parsed as Spark parses it (Java properties, values trimmed). */
    public static Map<String, String> read(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Spark defaults file " + file + " (named by -D"
                    + DEFAULTS_FILE + "): " + e.getMessage(), e);
        }
        Map<String, String> out = new TreeMap<>();
        for (String key : p.stringPropertyNames()) {
            out.put(key, p.getProperty(key).trim());
        }
        return out;
    }
}
