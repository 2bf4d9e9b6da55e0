package org.munet.serve;

import org.apache.hadoop.conf.Configuration;

/** PLACEHOLDER: replaced by the export branch. */
public final class ExportReader {
    private ExportReader() {}

    public static TaskModelInfo info(String uri, Configuration hadoop, String task) {
        throw new UnsupportedOperationException("exports: not merged yet");
    }

    public static TaskModel load(String uri, Configuration hadoop, String task, StateModels.BlockSource blocks) {
        throw new UnsupportedOperationException("exports: not merged yet");
    }
}
