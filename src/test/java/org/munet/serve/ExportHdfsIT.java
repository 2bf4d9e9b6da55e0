package org.munet.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.munet.testing.HdfsCluster;

/** An export written to and read from a real HDFS (MiniDFSCluster), through the same code as local. */
class ExportHdfsIT {

    @TempDir
    Path tmp;

    @Test
    void exportRoundTripsThroughHdfs() throws Exception {
        try (HdfsCluster hdfs = HdfsCluster.start(tmp.resolve("hdfs"));
                NDManager manager = NDManager.newBaseManager();
                TaskModel model = RandomTaskModels.create(manager, RandomTaskModels.threeChannels(), List.of(1), 8,
                        10, 21)) {
            Configuration conf = hdfs.fs().getConf();
            String uri = hdfs.uri("/models/mnist");
            ExportWriter.Written written = new ExportWriter(conf).write(model, uri);
            assertEquals(uri, written.directory());
            Set<String> names = Arrays.stream(hdfs.fs().listStatus(new org.apache.hadoop.fs.Path(uri)))
                    .map(FileStatus::getPath).map(org.apache.hadoop.fs.Path::getName).collect(Collectors.toSet());
            assertEquals(Set.of("config.json", "model.safetensors"), names);

            try (TaskModel back = new ExportReader(conf).read(uri, StateModels.owned(manager));
                    NDManager inputs = manager.newSubManager()) {
                assertEquals(uri, back.info().source());
                NDArray images = inputs.randomUniform(-1, 1, new Shape(4, 3, 28, 28));
                assertArrayEquals(RandomTaskModels.logits(model, images), RandomTaskModels.logits(back, images), 0f);
            }
            String message = assertThrows(IllegalArgumentException.class,
                    () -> new ExportWriter(conf).write(model, uri)).getMessage();
            assertTrue(message.contains("already exists and is not empty"), message);
        }
    }
}
