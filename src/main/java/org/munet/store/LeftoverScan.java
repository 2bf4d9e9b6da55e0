package org.munet.store;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
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
     * @param committed the committed versions
     * @param nextComponentId the latest readable version's next component id; empty when the state has
     *     manifests but none is readable, so no component can be called uncommitted with certainty
     * @param referenced the component ids any committed version references
     */
    static List<Leftover> all(StateStore store, Set<Long> committed, OptionalLong nextComponentId,
            Set<Long> referenced) {
        List<Leftover> out = removable(store);
        for (long id : store.unreferencedComponents(referenced)) {
            boolean uncommitted = nextComponentId.isPresent() && id >= nextComponentId.getAsLong();
            out.add(new Leftover(uncommitted ? Leftover.Kind.UNCOMMITTED_COMPONENT : Leftover.Kind.UNREFERENCED_COMPONENT,
                    store.layout().component(id).toString()));
        }
        try {
            for (String name : store.files().listNames(store.layout().historyDir())) {
                OptionalLong v = StateLayout.historyVersion(name);
                if (v.isPresent() && !committed.contains(v.getAsLong())) {
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
