package org.munet.run;

import org.apache.hadoop.conf.Configuration;
import org.munet.config.EvolutionConfig;
import org.munet.nn.checkpoint.CheckpointFile;
import org.munet.nn.checkpoint.VitCheckpoint;
import org.munet.system.CheckpointDims;

/**
 * A run's pretrained root (spec §1.5), as far as it is known before the state is opened: where the
 * checkpoint is and, when the file is there, its checksum and dimensions (read and fully checked in
 * {@link EvolveRun#prepare}, so a bad checkpoint fails before anything starts).
 *
 * <p>A state's root is created once. A continued run does not need the file: when it is gone the
 * dimensions come from the state's own root components ({@link RootDims}) and the checksum from the
 * state's identity.
 *
 * @param path the checkpoint's path or URI
 * @param format safetensors, npz, or null for the extension's
 * @param sha256 the file's SHA-256, or null when the file does not exist (now)
 * @param dims the checkpoint's dimensions, or null when the file does not exist
 */
public record RootPlan(String path, String format, String sha256, CheckpointDims dims) {

    /** What a state's identity holds after its config's checksum when its root is a checkpoint. */
    static final String IDENTITY_SEPARATOR = "+root-sha256:";

    /**
     * The root a run names: {@code --root} over the config's {@code root} section; null for a
     * random-init root.
     */
    static RootPlan of(EvolutionConfig config, String override, Configuration hadoop) {
        String path = override != null ? override : config.root() == null ? null : config.root().path();
        if (path == null) {
            return null;
        }
        // --root names a file; its format is its extension's (the config's format belongs to its own path).
        String format = override != null ? null : config.root().format();
        if (!CheckpointFile.exists(path, hadoop)) {
            return new RootPlan(path, format, null, null);
        }
        VitCheckpoint checkpoint = VitCheckpoint.read(path, format, hadoop);
        return new RootPlan(path, format, checkpoint.sha256(), checkpoint.dims());
    }

    boolean fileFound() {
        return sha256 != null;
    }

    /**
     * A state's identity: the config's (and baseline's) checksum, then the checkpoint's, so a state
     * refuses to continue with another root.
     */
    String identity(String configIdentity) {
        return configIdentity + IDENTITY_SEPARATOR + sha256;
    }

    /** The checkpoint checksum a state's identity records, or null for a random-init root. */
    static String recordedSha256(String identity) {
        int at = identity.indexOf(IDENTITY_SEPARATOR);
        return at < 0 ? null : identity.substring(at + IDENTITY_SEPARATOR.length());
    }

    /** A state's identity without its root checksum. */
    static String configPart(String identity) {
        int at = identity.indexOf(IDENTITY_SEPARATOR);
        return at < 0 ? identity : identity.substring(0, at);
    }

    /** The checkpoint, read again to build the root, and checked to be the file that was prepared. */
    VitCheckpoint read(Configuration hadoop) {
        VitCheckpoint checkpoint = VitCheckpoint.read(path, format, hadoop);
        if (!checkpoint.sha256().equals(sha256)) {
            throw new IllegalArgumentException("root checkpoint " + path + " changed while the run started (SHA-256 "
                    + sha256 + ", now " + checkpoint.sha256() + "); run again");
        }
        return checkpoint;
    }
}
