package org.munet.system;

/**
 * The conventions of task names (spec §1.4): the private marker, the dataset a name stands for,
 * and which names are acceptable. The data package parses a name's derivations
 * ({@code data.TaskName}) and loads its dataset ({@code data.Datasets}); the characters both
 * accept are defined here once.
 */
public final class TaskNames {

    /** A task whose paths are never offered to other tasks as parents. */
    public static final String PRIVATE_PREFIX = "private:";

    private TaskNames() {}

    public static boolean isPrivate(String task) {
        return task.startsWith(PRIVATE_PREFIX);
    }

    /** Characters of a dataset's name, which is a directory under the data directory ('-' last: a literal). */
    private static final String DATASET_CHARACTERS = "A-Za-z0-9_.-";
    private static final java.util.regex.Pattern DATASET =
            java.util.regex.Pattern.compile("[" + DATASET_CHARACTERS + "]+");
    /**
     * Characters a task name may hold: a dataset's, plus the marker's and the derivations'
     * separators ({@code private:}, {@code /labels:0,1}).
     */
    private static final java.util.regex.Pattern NAME =
            java.util.regex.Pattern.compile("[:,/" + DATASET_CHARACTERS + "]+");

    /**
     * Whether {@code base} (a task name's part before its first derivation) can name a user
     * dataset's directory: dataset characters only, and not hidden.
     */
    public static boolean isDatasetDirectory(String base) {
        return DATASET.matcher(base).matches() && !base.startsWith(".");
    }

    /**
     * Checks a list of task names before anything is read or written: each must be a plain name
     * (task names become data directory lookups, so nothing may point outside the data directory),
     * and no two may be the same task after normalisation (case and the private marker aside).
     *
     * @param source where the list comes from, for the message (e.g. "catalog hdfs:///munet/catalog.yaml")
     * @throws IllegalArgumentException naming the offending entry and the fix
     */
    public static void checkNames(java.util.List<String> names, String source) {
        java.util.Map<String, String> seen = new java.util.LinkedHashMap<>();
        for (String name : names) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException(source + ": an empty task name; remove the blank entry");
            }
            if (!name.equals(name.strip())) {
                throw new IllegalArgumentException(source + ": task name '" + name + "' has leading or trailing"
                        + " spaces; write it without them");
            }
            String dataset = datasetName(name);
            if (dataset.startsWith("/") || dataset.contains("\\") || java.util.Arrays.asList(dataset.split("/"))
                    .stream().anyMatch(part -> part.equals("..") || part.equals("."))) {
                throw new IllegalArgumentException(source + ": task name '" + name + "' would name a path outside"
                        + " the data directory ('..', '.', a leading '/' and '\\' are not allowed); name the"
                        + " dataset directory under data_dir instead");
            }
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException(source + ": task name '" + name + "' holds characters other"
                        + " than letters, digits and _ . : , / -");
            }
            String key = dataset.toLowerCase(java.util.Locale.ROOT) + (isPrivate(name) ? " (private)" : "");
            String other = seen.putIfAbsent(key, name);
            if (other != null) {
                throw new IllegalArgumentException(source + ": task '" + name + "' is listed twice"
                        + (other.equals(name) ? "" : " (as '" + other + "' too: names are compared ignoring case)")
                        + "; keep one entry");
            }
        }
    }

    /** The dataset name behind a task name (without the private marker). */
    public static String datasetName(String task) {
        return isPrivate(task) ? task.substring(PRIVATE_PREFIX.length()) : task;
    }
}
