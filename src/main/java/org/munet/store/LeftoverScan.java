package org.munet.store;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/** Finds the files of a state that no committed version needs ({@link Leftover}). */
final class LeftoverScan {

    private LeftoverScan() {}

    /** The leftovers {@code fsck --repair} removes: staging files and temporary files. */
    static List<Leftover> removable(StateStore store) {
        List<Leftover> out = new ArrayList<>();
        for (Path file : stagingFiles(store)) {
            out.add(new Leftover(Leftover.Kind.STAGING, file.toString()));
        }
        for (Path file : store.temporaryFiles()) {
            out.add(new Leftover(Leftover.Kind.TEMPORARY, file.toString()));
        }
        return out;
    }

    /**
     * Every leftover.
     *
     * @param committed the committed versions still kept
     * @param nextComponentId the latest version's next component id; empty when it is not readable,
     *     so no component can be called uncommitted with certainty
     * @param referenced the component ids any kept version references, when every kept version was
     *     read (a full check); empty otherwise, and then unreferenced files below the next id are not
     *     looked for
     */
    static List<Leftover> all(StateStore store, Set<Long> committed, OptionalLong nextComponentId,
            Optional<Set<Long>> referenced) {
        List<Leftover> out = removable(store);
        Set<Long> files = store.componentFiles();
        CollectionJournal pending = CollectionJournal.read(store);
        Set<Long> pendingComponents = pending == null ? Set.of() : pending.components();
        if (pending != null) {
            out.addAll(pending.leftovers(store, committed, files));
        }
        for (long id : files) {
            boolean uncommitted = nextComponentId.isPresent() && id >= nextComponentId.getAsLong();
            if (uncommitted) {
                out.add(new Leftover(Leftover.Kind.UNCOMMITTED_COMPONENT, store.layout().component(id).toString()));
            } else if (referenced.isPresent() && !referenced.get().contains(id) && !pendingComponents.contains(id)) {
                out.add(new Leftover(Leftover.Kind.UNREFERENCED_COMPONENT, store.layout().component(id).toString()));
            }
        }
        long latest = committed.stream().mapToLong(Long::longValue).max().orElse(0);
        try {
            for (String name : store.files().listNames(store.layout().historyDir())) {
                OptionalLong v = StateLayout.historyVersion(name);
                if (v.isPresent() && v.getAsLong() > latest) {
                    out.add(new Leftover(Leftover.Kind.UNCOMMITTED_HISTORY,
                            store.layout().history(v.getAsLong()).toString()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + store.layout().historyDir() + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** Every plain file under {@code staging/}, at any depth, without Hadoop's {@code .crc} siblings. */
    private static List<Path> stagingFiles(StateStore store) {
        Path dir = store.layout().stagingDir();
        List<Path> files = new ArrayList<>();
        try {
            RemoteIterator<LocatedFileStatus> it = store.fs().listFiles(dir, true);
            while (it.hasNext()) {
                Path file = it.next().getPath();
                if (!file.getName().endsWith(".crc")) {
                    files.add(file);
                }
            }
        } catch (FileNotFoundException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        files.sort(Comparator.comparing(Path::toString));
        return files;
    }
}
