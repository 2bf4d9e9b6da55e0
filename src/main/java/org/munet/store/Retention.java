package org.munet.store;

/**
 * Which committed versions a state keeps: every end-of-task version (and the first), plus the last
 * {@code keepLast} versions; or, with {@code keepAll}, every version ever committed (for research
 * that replays each generation). Older versions' manifests are dropped after each commit, and the
 * component files only they referenced are collected. The history is always kept whole.
 *
 * @param keepLast how many of the newest versions are kept whatever they are (at least 1: the latest)
 * @param keepAll keep every version; nothing is dropped or collected
 */
public record Retention(int keepLast, boolean keepAll) {

    /** The default number of newest versions kept: about one task visit's generations of the quickstart. */
    public static final int DEFAULT_KEEP_LAST = 10;

    public Retention {
        if (keepLast < 1) {
            throw new IllegalArgumentException("state.keep_last_versions must be at least 1 (the latest version is"
                    + " always kept), got " + keepLast);
        }
    }

    public static Retention defaults() {
        return new Retention(DEFAULT_KEEP_LAST, false);
    }

    public static Retention keepLast(int versions) {
        return new Retention(versions, false);
    }

    public static Retention all() {
        return new Retention(DEFAULT_KEEP_LAST, true);
    }
}
