package org.munet.store;

/**
 * How a committed version is written. A checkpoint holds the whole system; a delta holds only what
 * changed since its base checkpoint, so that committing a generation costs what the generation
 * changed rather than what the system holds. Task ends (and the first version) are checkpoints;
 * the generations of a task visit are deltas on the checkpoint the visit started from.
 */
public enum ManifestKind {
    /** {@code manifest/<N>.json}: the whole system (every munet-state-v1 manifest is one). */
    CHECKPOINT,
    /** {@code manifest/<N>.delta.json}: the changes from its base checkpoint, the newest one below N. */
    DELTA
}
