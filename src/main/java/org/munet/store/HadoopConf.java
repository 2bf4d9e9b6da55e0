package org.munet.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;

/**
 * The Hadoop configuration of a run, built the way Spark builds its own: Hadoop's defaults and
 * {@code core-site.xml} from the classpath, then the {@code *-site.xml} files of
 * {@code HADOOP_CONF_DIR}, then every {@code spark.hadoop.K=V} as {@code K=V}. One is built per
 * command and used for every FileSystem access of that command: the driver's state store, the
 * catalog, and (shipped with each Spark job) the executors' state store. So S3 or HDFS settings
 * given to Spark reach the state store, and commands without Spark read them from the same files.
 *
 * <p>spark-submit puts {@code HADOOP_CONF_DIR} on the classpath; deploy/munet does not, so its files
 * are added here by name (a file loaded twice yields the same values).
 */
public final class HadoopConf {

    private static final String SPARK_HADOOP = "spark.hadoop.";

    private HadoopConf() {}

    /** From this JVM's Spark properties ({@link SparkProperties#load()}) and {@code HADOOP_CONF_DIR}. */
    public static Configuration forThisJvm() {
        return of(SparkProperties.load());
    }

    /** From a run's Spark properties and this process's {@code HADOOP_CONF_DIR}. */
    public static Configuration of(Map<String, String> sparkProperties) {
        return of(sparkProperties, System.getenv("HADOOP_CONF_DIR"));
    }

    /**
     * @param sparkProperties the {@code spark.*} keys of the run (others are ignored)
     * @param hadoopConfDir a directory of {@code *-site.xml} files, or null
     */
    public static Configuration of(Map<String, String> sparkProperties, String hadoopConfDir) {
        Configuration conf = new Configuration();
        for (Path site : siteFiles(hadoopConfDir)) {
            conf.addResource(new org.apache.hadoop.fs.Path(site.toUri()));
        }
        for (Map.Entry<String, String> e : sparkProperties.entrySet()) {
            if (e.getKey().startsWith(SPARK_HADOOP)) {
                conf.set(e.getKey().substring(SPARK_HADOOP.length()), e.getValue(),
                        "Set by Spark from keys starting with 'spark.hadoop'");
            }
        }
        return conf;
    }

    /** Sorted, so that where two files set one key the outcome does not depend on the directory listing. */
    private static List<Path> siteFiles(String dir) {
        if (dir == null || dir.isBlank() || !Files.isDirectory(Path.of(dir))) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(Path.of(dir))) {
            return files.filter(f -> f.getFileName().toString().endsWith("-site.xml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list HADOOP_CONF_DIR " + dir + ": " + e.getMessage(), e);
        }
    }
}
