package org.munet.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.munet.system.TaskNames;
import org.munet.system.TaskSource;

/**
 * One task of a config's {@code tasks} list or a catalog, as written: a bare name (a built-in, a
 * derived task, or a dataset directory under {@code data_dir}, its format detected) or a mapping
 * that says where the data is and how to read it. Every key is documented in
 * {@code deploy/configs/reference.yaml}.
 *
 * <pre>
 * tasks:
 *   - mnist
 *   - name: pets                       # the task (derivations allowed: pets/rot90)
 *     path: hdfs://nn:8020/data/pets   # default: &lt;data_dir&gt;/&lt;dataset&gt;; relative: under data_dir
 *     format: image_folder             # idx | image_folder | parquet; default: detected
 *   - name: flowers
 *     path: s3a://bucket/flowers.parquet
 *     format: parquet
 *     image_column: image              # Spark's image struct, or binary PNG/JPEG bytes
 *     label_column: label              # integer or string
 *     split_column: split              # train | validation | test; or train/validation/test paths
 * </pre>
 */
public record TaskEntry(
        @JsonProperty("name") String name,
        @JsonProperty("path") String path,
        @JsonProperty("format") String format,
        @JsonProperty("image_column") String imageColumn,
        @JsonProperty("label_column") String labelColumn,
        @JsonProperty("split_column") String splitColumn,
        @JsonProperty("train") String train,
        @JsonProperty("validation") String validation,
        @JsonProperty("test") String test,
        @JsonProperty("num_classes") Integer numClasses,
        @JsonProperty("classes") List<String> classes,
        @JsonProperty("corrupt_images") String corruptImages) {

    /** What {@code corrupt_images} accepts: skip the task for the run (default), or drop the image. */
    public static final List<String> CORRUPT_IMAGES = List.of("skip_task", "drop");

    @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
    public TaskEntry {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a task mapping needs a 'name' (e.g. name: pets)");
        }
        if (numClasses != null && numClasses < 2) {
            throw new IllegalArgumentException("task " + name + ": num_classes must be at least 2, got " + numClasses);
        }
        if (format != null) {
            formatOf(name, format);
        }
        if (corruptImages != null && !CORRUPT_IMAGES.contains(corruptImages)) {
            throw new IllegalArgumentException("task " + name + ": corrupt_images must be one of " + CORRUPT_IMAGES
                    + ", got '" + corruptImages + "'");
        }
        if (classes != null && classes.stream().distinct().count() != classes.size()) {
            throw new IllegalArgumentException("task " + name + ": 'classes' names a class twice: " + classes);
        }
        boolean parquetOnly = imageColumn != null || labelColumn != null || splitColumn != null || train != null
                || validation != null || test != null;
        if (parquetOnly && format != null && formatOf(name, format) != TaskSource.Format.PARQUET) {
            throw new IllegalArgumentException("task " + name + ": image_column, label_column, split_column and"
                    + " train/validation/test paths are for format: parquet");
        }
        if (splitColumn != null && (train != null || validation != null || test != null)) {
            throw new IllegalArgumentException("task " + name + ": give either split_column or train/validation/test"
                    + " paths, not both");
        }
        if ((train == null) != (test == null) || (validation != null && train == null)) {
            throw new IllegalArgumentException("task " + name + ": per-split paths need at least 'train' and 'test'");
        }
    }

    /** A bare name, as in {@code tasks: [mnist, fashion_mnist/rot90]}. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static TaskEntry named(String name) {
        return new TaskEntry(name, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** The names of a list of entries, in order. */
    public static List<String> names(List<TaskEntry> entries) {
        return entries.stream().map(TaskEntry::name).toList();
    }

    /** The source of this task's base dataset, to be resolved by the data package. */
    public TaskSource source() {
        String dataset = TaskNames.datasetName(name).split("/", 2)[0];
        Map<String, String> splits = new LinkedHashMap<>();
        if (train != null) {
            splits.put("train", train);
            splits.put("test", test);
            if (validation != null) {
                splits.put("validation", validation);
            }
        }
        // Parquet-only keys name the format when it is not given.
        boolean parquet = !splits.isEmpty() || imageColumn != null || labelColumn != null || splitColumn != null;
        TaskSource.Format f = format != null ? formatOf(name, format) : parquet ? TaskSource.Format.PARQUET : null;
        return new TaskSource(dataset, path, f, imageColumn, labelColumn, splitColumn, splits, numClasses, classes,
                "drop".equals(corruptImages));
    }

    private static TaskSource.Format formatOf(String name, String format) {
        return switch (format.toLowerCase(Locale.ROOT)) {
            case "idx" -> TaskSource.Format.IDX;
            case "image_folder" -> TaskSource.Format.IMAGE_FOLDER;
            case "parquet" -> TaskSource.Format.PARQUET;
            default -> throw new IllegalArgumentException("task " + name + ": unknown format '" + format
                    + "'; known: idx, image_folder, parquet");
        };
    }
}
