package org.munet.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.Set;
import org.apache.hadoop.fs.Path;
import org.munet.system.Component;
import org.munet.system.Population;

/**
 * Removes what a stopped run left in a state before the next run writes to it: every staging run,
 * every hidden temporary file, and the component files promoted by a generation whose manifest was
 * never committed (their ids are handed out again, and component files are never overwritten).
 * Committed files stay, and so does an unreferenced file below the committed next component id,
 * which nothing the store writes leaves and a human should look at ({@link Leftover.Kind}).
 *
 * <p>Only while holding the state's {@link RunLock}: a running writer's files look exactly like a
 * crashed one's.
 */
public final class StateGarbage {

    private StateGarbage() {}

    /** Clears the garbage of a state whose latest committed version holds {@code committed}. */
    public static void discardUncommitted(StateStore store, Population committed) {
        Set<Long> referenced = new HashSet<>();
        for (Component c : committed.components()) {
            referenced.add(c.id());
        }
        discard(store, referenced, committed.nextComponentId());
    }

    /**
     * Clears the garbage of a state without a committed version, where a run that died before its
     * first commit may have written root components already: every component file is uncommitted.
     */
    public static void discardUncommitted(StateStore store) {
        discard(store, Set.of(), 0);
    }

    private static void discard(StateStore store, Set<Long> referenced, long nextComponentId) {
        store.cleanStaging();
        store.cleanTemporaryFiles();
        for (long id : store.unreferencedComponents(referenced)) {
            if (id >= nextComponentId) {
                Path file = store.layout().component(id);
                try {
                    store.files().delete(file);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot delete " + file + ": " + e.getMessage(), e);
                }
            }
        }
    }
}
