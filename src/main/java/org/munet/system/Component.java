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
 */
public final class Component {

    /** The pseudo-task owning the root path(s). */
    public static final String NOT_TRAINABLE = "NOT_TRAINABLE";

    private final long id;
    private final String name;
    private final String shape;
    private final long parameterCount;
    private final long createdByPath;
    private final String sha256;
    private final TreeSet<String> locks;

    public Component(long id, String name, String shape, long parameterCount, long createdByPath,
            String sha256, Set<String> locks) {
        this.id = id;
        this.name = name;
        this.shape = shape;
        this.parameterCount = parameterCount;
        this.createdByPath = createdByPath;
        this.sha256 = sha256;
        this.locks = new TreeSet<>(locks);
    }

    public long id() {
        return id;
    }

    public String name() {
        return name;
    }

    public String shape() {
        return shape;
    }

    public long parameterCount() {
        return parameterCount;
    }

    /** Id of the path whose training created this component; -1 for root components. */
    public long createdByPath() {
        return createdByPath;
    }

    /** SHA-256 of the committed component file. */
    public String sha256() {
        return sha256;
    }

    public Set<String> locks() {
        return Collections.unmodifiableSet(locks);
    }

    public boolean isTrainable() {
        return locks.isEmpty();
    }

    void lock(String task) {
        locks.add(task);
    }

    void unlock(String task) {
        locks.remove(task);
    }

    @Override
    public String toString() {
        return name + ":" + id + (locks.isEmpty() ? "" : locks.toString());
    }
}
