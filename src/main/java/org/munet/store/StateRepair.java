package org.munet.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.hadoop.fs.Path;

/**
 * {@code fsck --repair}: removes the leftovers that are safe to remove without knowing anything about
 * the run that left them, namely staging files, hidden temporary files and what an interrupted
 * garbage collection had journaled ({@link CollectionJournal}: versions retention dropped and files
 * only they referenced), and nothing else.
 *
 * <p>Committed manifests, components and history are never touched, damaged or not: a damaged file
 * is evidence, and only a backup can replace it. Uncommitted components and history are left to the
 * next evolve, which knows the ids it will hand out again.
 *
 * <p>It takes the state's {@link RunLock} for its whole duration, because a running evolve's staging
 * and temporary files look exactly like a crashed one's.
 */
public final class StateRepair {

    /** The purpose recorded in the lock while a repair runs. */
    public static final String LOCK_PURPOSE = "fsck --repair";

    private StateRepair() {}

    /**
     * Removes staging and temporary files, then verifies the state.
     *
     * @return the verification after the removal, with {@link StateReport#removed()} listing what went
     * @throws StateLockedException if another process holds the state's lock (nothing is removed)
     */
    public static StateReport repair(StateStore store) {
        return repair(store, StateVerifier.Mode.FULL);
    }

    /** {@link #repair(StateStore)}, then a check of {@code mode}. */
    public static StateReport repair(StateStore store, StateVerifier.Mode mode) {
        if (!store.exists()) {
            // Taking the lock would create the directory: a mistyped path must leave no trace.
            throw new IllegalArgumentException("no state at " + store.uri() + ": check the --state path");
        }
        try (RunLock lock = RunLock.acquire(store, LOCK_PURPOSE)) {
            List<Leftover> removed = new java.util.ArrayList<>(LeftoverScan.removable(store));
            CollectionJournal pending = CollectionJournal.read(store);
            if (pending != null) {
                removed.addAll(pending.leftovers(store, store.manifestVersions(), store.componentFiles()));
                pending.finish(store, phase -> { });
            }
            for (Leftover leftover : removed) {
                if (leftover.kind() == Leftover.Kind.TEMPORARY) {
                    delete(store, new Path(leftover.path()));
                }
            }
            // Staging files go with their directory, so that emptied run directories go too.
            store.cleanStaging();
            return StateVerifier.verify(store, mode).withRemoved(removed);
        }
    }

    private static void delete(StateStore store, Path file) {
        try {
            store.files().delete(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + file + ": " + e.getMessage(), e);
        }
    }
}
