package org.munet.spark;

import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.munet.store.SparkProperties;

/**
 * The Spark context an {@code evolve} run uses. Its {@code spark.*} settings are Spark's business
 * and live in spark-conf/spark-defaults.conf (under spark-submit its {@code --properties-file} and
 * {@code --conf}; run directly, the file named by {@code -Dmunet.spark.defaults}, see
 * {@link SparkProperties}). Code sets only what no file can know.
 */
public final class SparkContexts {

    private SparkContexts() {}

    /** With this JVM's Spark properties. */
    public static JavaSparkContext create(String appName, int localSlots) {
        return create(appName, localSlots, SparkProperties.load());
    }

    /**
     * @param sparkProperties the run's {@code spark.*} keys (the same ones its Hadoop configuration
     *     is built from)
     * @param localSlots task slots when no master is given: the {@code --workers} option
     */
    public static JavaSparkContext create(String appName, int localSlots, Map<String, String> sparkProperties) {
        checkModuleFlags();
        SparkConf conf = new SparkConf(false);
        sparkProperties.forEach(conf::set);
        conf.setAppName(appName == null ? "munet" : appName);
        if (!conf.contains("spark.master")) {
            // Run without spark-submit and without a master: local mode, as many task slots as the
            // command's --workers asks for, which only the command line knows.
            conf.setMaster("local[" + localSlots + "]");
        }
        JavaSparkContext jsc = new JavaSparkContext(conf);
        // Prints the run's progress lines to the command's own stdout (tests and the cluster test read
        // them there); spark.extraListeners could only construct it without that stream.
        jsc.sc().addSparkListener(new ProgressSparkListener(System.out));
        return jsc;
    }

    private static void checkModuleFlags() {
        if (!Object.class.getModule().isOpen("java.nio", SparkContexts.class.getModule())) {
            throw new SparkSetupException("Spark on Java 17 needs its module flags (--add-opens ...):"
                    + " start munet with deploy/munet or deploy/submit.sh (the flags are in"
                    + " deploy/java-flags.sh), or use --runner threads");
        }
    }

    /**
     * The Spark session of a prediction job ({@code munet predict}), with this JVM's Spark
     * properties; local mode with {@code localSlots} slots when no master is given.
     *
     * <p>Kryo's registrationRequired is switched off for this job only: Spark SQL's own task
     * results (for example the Parquet writer's commit messages) are classes no registrator names.
     */
    public static org.apache.spark.sql.SparkSession session(String appName, int localSlots) {
        checkModuleFlags();
        SparkConf conf = new SparkConf(false);
        SparkProperties.load().forEach(conf::set);
        conf.setAppName(appName);
        conf.set("spark.kryo.registrationRequired", "false");
        if (!conf.contains("spark.master")) {
            conf.setMaster("local[" + localSlots + "]");
        }
        return org.apache.spark.sql.SparkSession.builder().config(conf).getOrCreate();
    }
}
