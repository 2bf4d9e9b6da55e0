package org.munet.data;

import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;

/** Loads tasks from a local data directory, as the tests keep their datasets. */
public final class LocalData {

    private static final Configuration LOCAL = new Configuration();

    private LocalData() {}

    public static TaskData load(String task, Path dataDir) {
        return Datasets.load(task, dataDir.toAbsolutePath().toString(), LOCAL);
    }

    public static Configuration conf() {
        return LOCAL;
    }
}
