package org.munet.store;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.hadoop.fs.Path;

/**
 * Checks component files against the SHA-256 every committed manifest recorded for them.
 *
 * <p>Most components live through many versions, so the references are gathered first and each file
 * is hashed once afterwards: reading a state's components once per version would multiply the cost
 * of fsck by the number of generations.
 */
final class ComponentAudit {

    private final StateStore store;
    /** Files of components below this id are only checked to exist (hashed by an earlier check). */
    private final long hashFrom;
    /** Component id to recorded checksum to the versions that recorded it. */
    private final TreeMap<Long, Map<String, TreeSet<Long>>> expected = new TreeMap<>();
    private final TreeSet<Long> referenced = new TreeSet<>();
    private final List<String> errors = new ArrayList<>();
    private int filesHashed;
    private long bytesHashed;

    /** The state as it is now, for a fresh listing when a file has gone since the check began. */
    private final StateStore current;

    /**
     * @param store the state as the check sees it (possibly one listing snapshot)
     * @param hashFrom files of components below this id are only checked to exist
     * @param current the same state without a snapshot
     */
    ComponentAudit(StateStore store, long hashFrom, StateStore current) {
        this.store = store;
        this.hashFrom = hashFrom;
        this.current = current;
    }

    /** Records that committed {@code version} (read from {@code manifest}) references component {@code id}. */
    void expect(long id, String sha256, long version, Path manifest) {
        referenced.add(id);
        String normalized;
        try {
            normalized = Sha256.normalize(sha256, "component " + id);
        } catch (IllegalArgumentException notSha256) {
            errors.add(manifest + " records sha256 " + (sha256 == null ? "null" : "\"" + sha256 + "\"")
                    + " for component " + id + ", which is not a SHA-256 (64 hex digits): the manifest is damaged");
            return;
        }
        expected.computeIfAbsent(id, k -> new LinkedHashMap<>()).computeIfAbsent(normalized, k -> new TreeSet<>())
                .add(version);
    }

    /** Every component id some committed version references. */
    SortedSet<Long> referenced() {
        return referenced;
    }

    /**
     * Hashes every referenced file from {@code hashFrom} on once, and checks that the older ones exist
     * (one listing); returns the problems (those met while recording too), by id.
     */
    List<String> check() {
        java.util.Set<Long> present = null;
        for (Map.Entry<Long, Map<String, TreeSet<Long>>> e : expected.entrySet()) {
            if (e.getKey() >= hashFrom) {
                check(e.getKey(), e.getValue());
                continue;
            }
            if (present == null) {
                present = store.componentFiles();
            }
            if (!present.contains(e.getKey())) {
                TreeSet<Long> allVersions = new TreeSet<>();
                e.getValue().values().forEach(allVersions::addAll);
                errors.add(store.layout().component(e.getKey()) + " is missing: component " + e.getKey()
                        + " is referenced by " + versions(allVersions));
            }
        }
        return errors;
    }

    int filesHashed() {
        return filesHashed;
    }

    long bytesHashed() {
        return bytesHashed;
    }

    private void check(long id, Map<String, TreeSet<Long>> byChecksum) {
        Path file = store.layout().component(id);
        TreeSet<Long> allVersions = new TreeSet<>();
        byChecksum.values().forEach(allVersions::addAll);
        if (byChecksum.size() > 1) {
            List<String> claims = new ArrayList<>();
            byChecksum.forEach((sha, versions) -> claims.add(versions(versions) + " record " + sha));
            errors.add("manifests disagree on the sha256 of component " + id + " (" + file + "): "
                    + String.join(", ", claims) + "; a component file is never rewritten, so all but one of these "
                    + "manifests are damaged");
        }
        byte[] bytes;
        try {
            bytes = store.files().readForOwnVerification(file);
        } catch (FileNotFoundException e) {
            // A writer's collection may have dropped every version that referenced it since they were
            // read (fsck takes no lock): then it is gone by design, not lost.
            java.util.Set<Long> stillKept = current.manifestVersions();
            if (allVersions.stream().anyMatch(stillKept::contains)) {
                errors.add(file + " is missing: component " + id + " is referenced by " + versions(allVersions));
            }
            return;
        } catch (IOException e) {
            errors.add(file + " cannot be read (" + e.getMessage() + "): component " + id + " is referenced by "
                    + versions(allVersions));
            return;
        }
        filesHashed++;
        bytesHashed += bytes.length;
        String actual = Sha256.hex(bytes);
        byChecksum.forEach((sha, versions) -> {
            if (!sha.equals(actual)) {
                errors.add(file + " is corrupt: its sha256 is " + actual + ", but " + versions(versions)
                        + " recorded " + sha + " for component " + id);
            }
        });
    }

    /** "version 3" or "versions 1-4, 7", compact even for a component that lived through thousands. */
    static String versions(SortedSet<Long> versions) {
        StringBuilder out = new StringBuilder(versions.size() == 1 ? "version " : "versions ");
        Iterator<Long> it = versions.iterator();
        long start = it.next();
        long end = start;
        while (it.hasNext()) {
            long v = it.next();
            if (v != end + 1) {
                appendRange(out, start, end);
                out.append(", ");
                start = v;
            }
            end = v;
        }
        appendRange(out, start, end);
        return out.toString();
    }

    private static void appendRange(StringBuilder out, long start, long end) {
        out.append(start);
        if (end != start) {
            out.append('-').append(end);
        }
    }
}
