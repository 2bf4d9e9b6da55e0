package org.munet.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.munet.system.TaskSource;

class DataSourcesTest {

    private static final Configuration CONF = LocalData.conf();

    @TempDir
    Path data;

    @Test
    void bareNamesResolveUnderTheDataDirectoryWithTheirFormatDetected() throws Exception {
        Files.createDirectories(data.resolve("digits"));
        Files.write(data.resolve("digits/train-images-idx3-ubyte.gz"), new byte[0]);
        Files.createDirectories(data.resolve("pets/train/cat"));
        Files.createDirectories(data.resolve("table"));
        Files.write(data.resolve("table/part-00000.parquet"), new byte[0]);
        Files.createDirectories(data.resolve("fashion-mnist"));

        TaskSource digits = DataSources.resolve(TaskSource.named("digits"), data.toString(), CONF);
        assertEquals(TaskSource.Format.IDX, digits.format());
        assertEquals(data.resolve("digits").toUri().toString().replaceAll("/$", "").replace("file:///", "file:/"),
                digits.location());
        assertEquals(TaskSource.Format.IMAGE_FOLDER,
                DataSources.resolve(TaskSource.named("pets"), data.toString(), CONF).format());
        assertEquals(TaskSource.Format.PARQUET,
                DataSources.resolve(TaskSource.named("table"), data.toString(), CONF).format());
        // A built-in lives in its own directory name and is IDX without looking.
        TaskSource fashion = DataSources.resolve(TaskSource.named("fashion_mnist"), data.toString(), CONF);
        assertTrue(fashion.location().endsWith("/fashion-mnist"), fashion.location());
        assertEquals(TaskSource.Format.IDX, fashion.format());
    }

    @Test
    void pathsAreRelativeToTheDataDirectoryOrAbsoluteOrUris() throws Exception {
        Files.createDirectories(data.resolve("elsewhere/train/a"));
        TaskSource written = new TaskSource("x", "elsewhere", null, null, null, null, Map.of(), null, List.of(), false);
        TaskSource relative = DataSources.resolve(written, data.toString(), CONF);
        assertTrue(relative.location().startsWith("file:/") && relative.location().endsWith("/elsewhere"),
                relative.location());
        TaskSource uri = DataSources.resolve(new TaskSource("x", data.resolve("elsewhere").toUri().toString(), null,
                null, null, null, Map.of(), null, List.of(), false), "/nowhere", CONF);
        assertEquals(relative.location(), uri.location());
        TaskSource splits = DataSources.resolve(new TaskSource("x", null, null, "png", "label", null,
                Map.of("train", "t/train.parquet", "test", "/abs/test.parquet"), null, List.of(), false),
                data.toString(), CONF);
        assertEquals(TaskSource.Format.PARQUET, splits.format());
        assertTrue(splits.splitLocations().get("train").endsWith(data.resolve("t/train.parquet").toString()));
        assertEquals("file:/abs/test.parquet", splits.splitLocations().get("test"));
    }

    @Test
    void whatIsNotThereOrNotADatasetIsNamedWithTheFix() throws Exception {
        DatasetException missing = assertThrows(DatasetException.class,
                () -> DataSources.resolve(TaskSource.named("nope"), data.toString(), CONF));
        assertTrue(missing.getMessage().startsWith("unknown task 'nope': nothing at file:" + data.resolve("nope")),
                missing.getMessage());
        Files.createDirectories(data.resolve("junk"));
        Files.write(data.resolve("junk/readme.txt"), new byte[] {1});
        DatasetException junk = assertThrows(DatasetException.class,
                () -> DataSources.resolve(TaskSource.named("junk"), data.toString(), CONF));
        assertTrue(junk.getMessage().contains("holds no dataset munet can read"), junk.getMessage());
        DatasetException mnist = assertThrows(DatasetException.class,
                () -> DataSources.resolve(TaskSource.named("mnist"), data.toString(), CONF));
        assertTrue(mnist.getMessage().contains("run deploy/fetch-datasets.sh " + data), mnist.getMessage());
    }

    @Test
    void anUnreachableFileSystemNamesTheUriAndWhatToCheck() {
        Configuration conf = new Configuration();
        // Fail at once instead of Hadoop's default ten connection retries.
        conf.setInt("ipc.client.connect.max.retries", 0);
        conf.setInt("ipc.client.connect.max.retries.on.timeouts", 0);
        DatasetException e = assertThrows(DatasetException.class,
                () -> DataSources.resolve(TaskSource.named("pets"), "hdfs://127.0.0.1:1/data", conf));
        assertTrue(e.getMessage().startsWith("cannot reach hdfs://127.0.0.1:1/data/pets"), e.getMessage());
        assertTrue(e.getMessage().contains("fs.defaultFS"), e.getMessage());

        DatasetException scheme = assertThrows(DatasetException.class,
                () -> DataSources.resolve(TaskSource.named("pets"), "nosuchfs://bucket/data", conf));
        assertTrue(scheme.getMessage().contains("no Hadoop file system for its scheme"), scheme.getMessage());
    }

    @Test
    void missingS3CredentialsNameTheKeysToSet() {
        DatasetException e = DataSources.failure("s3a://bucket/data/pets", new java.nio.file.AccessDeniedException(
                "s3a://bucket/data/pets: org.apache.hadoop.fs.s3a.auth.NoAuthWithAWSException: No AWS Credentials"));
        assertTrue(e.getMessage().contains("spark.hadoop.fs.s3a.access.key"), e.getMessage());
        assertTrue(e.getMessage().startsWith("cannot read s3a://bucket/data/pets"), e.getMessage());
    }
}
