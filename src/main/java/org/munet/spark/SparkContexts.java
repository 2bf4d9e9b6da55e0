package org.munet.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The Spark context an {@code evolve} run uses. Under spark-submit the cluster's settings come from
 * spark-submit and spark-defaults.conf; run directly (deploy/munet), with no master given, it is
 * Spark local mode on this machine with one task slot per worker.
 */
public final class SparkContexts {

    private SparkContexts() {}

    public static JavaSparkContext create(String appName, int localSlots) {
        if (!Object.class.getModule().isOpen("java.nio", SparkContexts.class.getModule())) {
            throw new SparkSetupException("Spark on Java 17 needs its module flags (--add-opens ...):"
                    + " start munet with deploy/munet or deploy/submit.sh (the flags are in"
                    + " deploy/java-flags.sh), or use --runner threads");
        }
        SparkConf conf = new SparkConf(true).setAppName(conf(appName));
        if (!conf.contains("spark.master")) {
            conf.setMaster("local[" + localSlots + "]");
            conf.setIfMissing("spark.ui.showConsoleProgress", "true");
        }
        conf.setIfMissing("spark.driver.host", "127.0.0.1");
        // Executors train bit-identically to the driver's local runs (deploy/java-flags.sh).
        conf.setIfMissing("spark.executorEnv.MKL_CBWR", "AUTO,STRICT");
        conf.setIfMissing("spark.serializer", "org.apache.spark.serializer.KryoSerializer");
        conf.setIfMissing("spark.kryo.registrator", MunetKryoRegistrator.class.getName());
        conf.setIfMissing("spark.kryo.registrationRequired", "true");
        // A candidate is a pure function of its spec: a retried task reproduces it.
        conf.setIfMissing("spark.task.maxFailures", "4");
        JavaSparkContext jsc = new JavaSparkContext(conf);
        jsc.sc().addSparkListener(new ProgressSparkListener(System.out));
        return jsc;
    }

    private static String conf(String appName) {
        return appName == null ? "munet" : appName;
    }
}
