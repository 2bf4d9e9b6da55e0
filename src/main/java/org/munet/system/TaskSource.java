package org.munet.system;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * Where a base dataset lives and how it is laid out: what a worker needs to read a task's data
 * itself, on any host, from any Hadoop file system. Plain values only (no Hadoop types), so the
 * engine can carry it in candidate specs.
 *
 * <p>As written in a config or catalog, fields may be null (a bare task name has only its
 * dataset); {@code data.DataSources} resolves it on the driver to an absolute URI and a format,
 * and workers receive only resolved sources.
 *
 * @param dataset the base dataset's name (a task name's part before its first derivation)
 * @param location the dataset's URI: a directory (IDX files, an image folder, a Parquet directory)
 *     or a Parquet file; null before resolution (then {@code <data_dir>/<dataset>})
 * @param format its layout; null before resolution (then detected)
 * @param imageColumn Parquet: the image column (Spark's image struct, or binary encoded bytes)
 * @param labelColumn Parquet: the label column (integer or string)
 * @param splitColumn Parquet: a column naming each row's split ({@code train}, {@code validation},
 *     {@code test}); null when each split has its own location ({@code splitLocations})
 * @param splitLocations Parquet: a location per split name, instead of a split column; empty
 *     when not used
 * @param numClasses the declared class count, or null to take it from the data
 * @param classes the declared class names (string labels must be among them), or empty
 * @param dropCorruptImages whether an undecodable image is dropped and counted instead of
 *     skipping the task
 */
public record TaskSource(String dataset, String location, Format format, String imageColumn, String labelColumn,
        String splitColumn, Map<String, String> splitLocations, Integer numClasses, List<String> classes,
        boolean dropCorruptImages) implements Serializable {

    /** A dataset's layout on its file system. */
    public enum Format {
        /** The MNIST layout: {@code train-images-idx3-ubyte} and friends, each optionally {@code .gz}. */
        IDX,
        /** {@code train/<class>/*}, {@code test/<class>/*}, optional {@code validation/<class>/*}. */
        IMAGE_FOLDER,
        /** A Parquet file or a directory of part files (e.g. written by Spark). */
        PARQUET
    }

    /** The split names a split column or {@code splitLocations} may use. */
    public static final List<String> SPLITS = List.of("train", "validation", "test");

    public TaskSource {
        splitLocations = splitLocations == null ? Map.of() : Map.copyOf(splitLocations);
        classes = classes == null ? List.of() : List.copyOf(classes);
    }

    /** A bare name's source: only the dataset is known. */
    public static TaskSource named(String dataset) {
        return new TaskSource(dataset, null, null, null, null, null, Map.of(), null, List.of(), false);
    }

    /** Whether {@link #location} and {@link #format} are known (what workers may be given). */
    public boolean isResolved() {
        return location != null && format != null;
    }

    public TaskSource resolved(String absoluteLocation, Format detected, Map<String, String> absoluteSplits) {
        return new TaskSource(dataset, absoluteLocation, detected, imageColumn, labelColumn, splitColumn,
                absoluteSplits, numClasses, classes, dropCorruptImages);
    }

    @Override
    public String toString() {
        return dataset + " (" + (format == null ? "format to detect" : format.name().toLowerCase(java.util.Locale.ROOT))
                + " at " + (location == null ? "<data_dir>/" + dataset : location) + ")";
    }
}
