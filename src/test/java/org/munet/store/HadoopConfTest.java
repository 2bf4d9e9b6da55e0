package org.munet.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run's Hadoop configuration is built from the Spark properties and HADOOP_CONF_DIR, as Spark builds its own. */
class HadoopConfTest {

    private static String site(String name, String value) {
        return "<?xml version=\"1.0\"?>\n<configuration>\n  <property><name>" + name + "</name><value>" + value
                + "</value></property>\n</configuration>\n";
    }

    @Test
    void sparkHadoopKeysOverrideTheSiteFilesOfHadoopConfDir(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("core-site.xml"), site("fs.s3a.endpoint", "http://from-core-site"));
        Files.writeString(dir.resolve("hdfs-site.xml"), site("dfs.replication", "2"));
        Files.writeString(dir.resolve("notes.xml"), site("munet.not.a.site.file", "x"));
        Configuration conf = HadoopConf.of(Map.of("spark.hadoop.fs.s3a.endpoint", "http://from-spark",
                "spark.hadoop.munet.custom", "42", "spark.serializer", "kryo"), dir.toString());
        assertEquals("http://from-spark", conf.get("fs.s3a.endpoint"));
        assertEquals("2", conf.get("dfs.replication"));
        assertEquals("42", conf.get("munet.custom"));
        assertNull(conf.get("munet.not.a.site.file"), "only *-site.xml files are read");
        assertNull(conf.get("serializer"), "only spark.hadoop.* keys become Hadoop keys");
        assertNull(conf.get("spark.serializer"));
    }

    @Test
    void withoutHadoopConfDirOnlyTheSparkKeysAreAdded() {
        Configuration conf = HadoopConf.of(Map.of("spark.hadoop.munet.custom", "on"), null);
        assertEquals("on", conf.get("munet.custom"));
        assertEquals("file:///", conf.get("fs.defaultFS"), "Hadoop's defaults are there");
    }

    @Test
    void theDefaultsFileIsParsedAsSparkParsesIt(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("spark-defaults.conf");
        Files.writeString(file, "# comment\nspark.serializer   org.example.Kryo  \nspark.hadoop.a=b\n\n"
                + "spark.executorEnv.MKL_CBWR AUTO,STRICT\n");
        assertEquals(Map.of("spark.serializer", "org.example.Kryo", "spark.hadoop.a", "b",
                "spark.executorEnv.MKL_CBWR", "AUTO,STRICT"), SparkProperties.read(file));
    }

    @Test
    void theTestBuildRunsWithTheProjectsDefaultsFileUnderItsOverrides() {
        Map<String, String> p = SparkProperties.load();
        // From spark-conf/spark-defaults.conf, named by surefire as deploy/munet names it.
        assertEquals("org.munet.spark.MunetKryoRegistrator", p.get("spark.kryo.registrator"));
        assertEquals("true", p.get("spark.kryo.registrationRequired"));
        // The build's system property wins over the file, as --conf does over --properties-file.
        assertEquals("false", p.get("spark.eventLog.enabled"));
    }

    @Test
    void theDefaultsFileNamesNoAddressAndTheTestBuildBindsLoopbackItself() {
        // The file serves a multi-host cluster unchanged: loopback is the launchers' and the build's.
        Map<String, String> file = SparkProperties.read(Path.of(System.getProperty(SparkProperties.DEFAULTS_FILE)));
        for (String key : file.keySet()) {
            assertFalse(key.startsWith("spark.driver.host") || key.startsWith("spark.driver.bindAddress")
                    || key.equals("spark.blockManager.bindAddress"), "an address in spark-defaults.conf: " + key);
        }
        assertEquals("127.0.0.1", SparkProperties.load().get("spark.driver.host"));
        assertEquals("127.0.0.1", System.getenv("SPARK_LOCAL_IP"));
    }
}
