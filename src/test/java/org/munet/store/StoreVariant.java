package org.munet.store;

import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * The ways a test opens a state: a plain path and a {@code file:} URI (both through Hadoop's
 * checksummed {@code LocalFileSystem}, which writes {@code .crc} siblings), and a {@code file:} URI
 * served by {@code RawLocalFileSystem} (no checksum files, rename replaces an existing target).
 */
enum StoreVariant {
    PLAIN_PATH,
    FILE_URI,
    RAW_LOCAL;

    StateStore open(Path dir) {
        Configuration conf = new Configuration(false);
        switch (this) {
            case PLAIN_PATH:
                return StateStore.open(dir.toString(), conf);
            case FILE_URI:
                return StateStore.open(dir.toUri().toString(), conf);
            default:
                conf.set("fs.file.impl", RawLocalFileSystem.class.getName());
                conf.setBoolean("fs.file.impl.disable.cache", true);
                return StateStore.open("file:" + dir, conf);
        }
    }

    boolean writesChecksumFiles() {
        return this != RAW_LOCAL;
    }
}
