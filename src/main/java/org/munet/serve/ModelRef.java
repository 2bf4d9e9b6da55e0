package org.munet.serve;

import java.io.Serializable;

/**
 * Where the models of a prediction job come from, pinned on the driver before the job starts: a
 * state directory at one committed version (so a nightly commit during the job cannot change its
 * results), or one export directory. Small and serializable: it is what executors receive.
 *
 * @param stateUri the state directory (qualified URI), or null for an export
 * @param version the pinned state version; -1 for an export
 * @param exportUri the export directory (qualified URI), or null for a state
 */
public record ModelRef(String stateUri, long version, String exportUri) implements Serializable {

    public ModelRef {
        if ((stateUri == null) == (exportUri == null)) {
            throw new IllegalArgumentException("give either a state or an exported model, not both or neither");
        }
    }

    public static ModelRef state(String uri, long version) {
        return new ModelRef(uri, version, null);
    }

    public static ModelRef export(String uri) {
        return new ModelRef(null, -1, uri);
    }

    public boolean isExport() {
        return exportUri != null;
    }

    @Override
    public String toString() {
        return isExport() ? "export " + exportUri : "state " + stateUri + " version " + version;
    }
}
