package org.munet.system;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * A unit of parameters (spec §1.2), referenced by id from paths. Its tensors live in the state
 * store (one immutable file, checksummed); here it is only what the policy needs.
 *
 * <p>Locks name the tasks that use the component; a component is trainable only while nobody
 * holds a lock on it, so a component any other task (or the root) uses is never trained again.
 *
 * @param createdByPath id of the path whose training created this component; -1 for root components
 * @param sha256 SHA-256 of the committed component file
 * @param locks the tasks holding a lock, sorted (the manifest lists them in this order)
 */
public record Component(long id, String name, String shape, long parameterCount, long createdByPath,
        String sha256, Set<String> locks) {

    /** The pseudo-task owning the root path(s). */
    public static final String NOT_TRAINABLE = "NOT_TRAINABLE";

    public Component {
        locks = Collections.unmodifiableSortedSet(new TreeSet<>(locks));
    }

    public boolean isTrainable() {
        return locks.isEmpty();
    }

    /** This component with {@code task}'s lock added. */
    public Component withLock(String task) {
        return withLocks(task, true);
    }

    /** This component with {@code task}'s lock removed. */
    public Component withoutLock(String task) {
        return withLocks(task, false);
    }

    private Component withLocks(String task, boolean held) {
        if (locks.contains(task) == held) {
            return this;
        }
        TreeSet<String> next = new TreeSet<>(locks);
        if (held) {
            next.add(task);
        } else {
            next.remove(task);
        }
        return new Component(id, name, shape, parameterCount, createdByPath, sha256, next);
    }

    @Override
    public String toString() {
        return name + ":" + id + (locks.isEmpty() ? "" : locks.toString());
    }
}
