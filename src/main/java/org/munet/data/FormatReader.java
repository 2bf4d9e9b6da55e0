package org.munet.data;

import org.apache.hadoop.conf.Configuration;
import org.munet.system.TaskSource;

/**
 * Reads a base dataset of one {@link TaskSource.Format} through the Hadoop FileSystem API, with the
 * run's Hadoop configuration, so the data may be on any file system a worker can reach.
 *
 * <p>Errors are {@link DatasetException}s that name the file, directory or column at fault and the
 * fix; the run then skips the task (the committed state is never touched by a failed read).
 */
public interface FormatReader {

    /**
     * @param source a resolved source ({@link TaskSource#isResolved()}) of this reader's format
     * @param hadoop the run's Hadoop configuration
     */
    SourceData read(TaskSource source, Configuration hadoop);
}
