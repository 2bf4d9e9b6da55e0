package org.munet.data;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.HadoopReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;
import org.munet.system.TaskSource;

/**
 * A Parquet table of images on any Hadoop file system, read with parquet-hadoop directly (no Spark
 * SQL: executors read their task's data themselves), only the needed columns.
 *
 * <p>Location: a Parquet file, or a directory of part files as Spark writes them (every
 * {@code *.parquet} file in name order; {@code _SUCCESS}, {@code _*} and {@code .*} are skipped,
 * subdirectories are not read). The splits come from a split column (values {@code train},
 * {@code validation}, {@code test}) or from one location per split ({@code train} and
 * {@code test} required; without {@code validation} the caller takes the reference's 5 % of train).
 *
 * <p>Columns:
 * <ul>
 *   <li>image ({@code image_column}, default {@code image}): Spark's image data source struct
 *       {@code struct<origin, height, width, nChannels, mode, data>} (data row-major H-W-C in
 *       OpenCV's BGR(A) order; converted to C-H-W RGB, alpha dropped, 1 channel stays gray), or a
 *       binary column of encoded PNG/JPEG/BMP/GIF bytes, decoded in parallel on all cores;</li>
 *   <li>label ({@code label_column}, default {@code label}): an integer, the label itself (class
 *       names {@code 0..N-1} unless the task declares {@code classes}), or a string: the class
 *       name (the declared {@code classes}, else the sorted distinct names of the train split,
 *       which every other split must stay within);</li>
 *   <li>split ({@code split_column}), when the splits share a location.</li>
 * </ul>
 *
 * <p>Rows are numbered from 0 within their file in messages ({@code <file> row <n>}). The output
 * order is deterministic: file order, then row order.
 */
public final class ParquetReader implements FormatReader {

    /** The image column when the task names none. */
    public static final String DEFAULT_IMAGE_COLUMN = "image";
    /** The label column when the task names none. */
    public static final String DEFAULT_LABEL_COLUMN = "label";

    /** The largest class count taken from integer labels alone: a larger label is a mistake, not a class. */
    private static final int MAX_INFERRED_CLASSES = 1_000_000;

    private static final List<String> STRUCT_FIELDS = List.of("height", "width", "nChannels", "mode", "data");

    private static final String INTEGER_TYPES = "INT32 or INT64 (Spark byte, short, int, long)";
    private static final String STRING_TYPES = "BINARY annotated STRING (Spark string)";

    /** One image as stored: encoded bytes, or Spark's image struct. */
    private record Raw(String where, byte[] bytes, boolean struct, int height, int width, int nChannels, int mode) {}

    /** One row: its image and its label (a Long or a String). */
    private record Row(Raw image, Object label) {}

    /** How a file stores its labels. */
    private enum LabelKind { INTEGER, STRING }

    /** What the columns of a file are, after checking them. */
    private record Columns(MessageType projection, boolean structImage, LabelKind labelKind) {}

    @Override
    public SourceData read(TaskSource source, Configuration hadoop) {
        String dataset = source.dataset();
        String imageColumn = orDefault(source.imageColumn(), DEFAULT_IMAGE_COLUMN);
        String labelColumn = orDefault(source.labelColumn(), DEFAULT_LABEL_COLUMN);
        String splitColumn = source.splitColumn();

        // Where each split's rows come from: a location per split, or one location and a split column.
        Map<String, String> inputs = new LinkedHashMap<>();
        if (!source.splitLocations().isEmpty()) {
            if (splitColumn != null) {
                throw new DatasetException(dataset + ": both a split_column ('" + splitColumn + "') and a location per"
                        + " split are given; give one of the two");
            }
            for (String split : source.splitLocations().keySet()) {
                if (!TaskSource.SPLITS.contains(split)) {
                    throw new DatasetException(dataset + ": unknown split '" + split + "' among the split locations;"
                            + " the splits are " + TaskSource.SPLITS);
                }
            }
            for (String split : TaskSource.SPLITS) {
                String location = source.splitLocations().get(split);
                if (location != null) {
                    inputs.put(split, location);
                } else if (!split.equals("validation")) {
                    throw new DatasetException(dataset + ": no location for the " + split + " split; a Parquet"
                            + " dataset with a location per split needs train and test (validation is optional)");
                }
            }
        } else if (splitColumn != null) {
            inputs.put(null, source.location());
        } else {
            throw new DatasetException(dataset + ": a Parquet table must say which rows are train, validation and"
                    + " test: set the task's split_column to a string column holding train/validation/test, or give"
                    + " one location per split (train and test, optionally validation) instead of one path");
        }

        Map<String, List<Row>> rows = new LinkedHashMap<>();
        for (String split : TaskSource.SPLITS) {
            rows.put(split, new ArrayList<>());
        }
        LabelKind[] kind = {null};
        String[] kindFile = {null};
        for (Map.Entry<String, String> input : inputs.entrySet()) {
            for (FileStatus file : partFiles(dataset, input.getKey(), input.getValue(), hadoop)) {
                String where = file.getPath().toString();
                LabelKind k = readFile(file, hadoop, dataset, imageColumn, labelColumn, input.getKey(), splitColumn,
                        rows);
                if (kind[0] != null && kind[0] != k) {
                    throw new DatasetException(dataset + ": label column '" + labelColumn + "' is "
                            + kind[0].name().toLowerCase(java.util.Locale.ROOT) + " in " + kindFile[0] + " but "
                            + k.name().toLowerCase(java.util.Locale.ROOT) + " in " + where
                            + "; every file of a dataset must store its labels the same way");
                }
                kind[0] = k;
                kindFile[0] = where;
            }
        }
        for (String split : List.of("train", "test")) {
            if (rows.get(split).isEmpty()) {
                throw new DatasetException(dataset + ": no " + split + " rows in "
                        + (splitColumn != null ? source.location() + " (split_column '" + splitColumn + "')"
                                : inputs.get(split))
                        + "; a dataset needs train and test rows");
            }
        }
        if (source.splitLocations().containsKey("validation") && rows.get("validation").isEmpty()) {
            throw new DatasetException(dataset + ": the validation location " + inputs.get("validation")
                    + " holds no rows; remove it (then the first 5 % of train validate) or fill it");
        }

        Map<String, int[]> labels = new HashMap<>();
        List<String> classNames = kind[0] == LabelKind.STRING
                ? stringLabels(source, rows, labels)
                : integerLabels(source, rows, labels);

        // Decode every image at once, in parallel, keeping file-then-row order.
        List<Row> all = new ArrayList<>();
        rows.values().forEach(all::addAll);
        Object[] decoded = new Object[all.size()];
        IntStream.range(0, all.size()).parallel().forEach(i -> {
            try {
                decoded[i] = toImage(all.get(i).image());
            } catch (DatasetException e) {
                decoded[i] = e;
            } catch (RuntimeException e) {
                decoded[i] = new DatasetException(all.get(i).image().where() + ": the image does not decode (" + e + ")", e);
            }
        });
        int channels = 1;
        for (Object d : decoded) {
            if (d instanceof DecodedImage image && image.channels() == 3) {
                channels = 3;
            }
        }

        Map<String, ImageSet> sets = new HashMap<>();
        int offset = 0;
        boolean storedValidation = !rows.get("validation").isEmpty();
        for (Map.Entry<String, List<Row>> e : rows.entrySet()) {
            String split = e.getKey();
            int n = e.getValue().size();
            if (n == 0) {
                continue;
            }
            List<DecodedImage> images = new ArrayList<>(n);
            int[] splitLabels = labels.get(split);
            int[] kept = new int[n];
            int dropped = 0;
            DatasetException firstDrop = null;
            for (int i = 0; i < n; i++) {
                Object d = decoded[offset + i];
                if (d instanceof DatasetException failure) {
                    if (!source.dropCorruptImages()) {
                        throw new DatasetException(failure.getMessage() + "; fix or remove the row, or set"
                                + " corrupt_images: drop in the task's mapping to drop such rows", failure.getCause());
                    }
                    dropped++;
                    firstDrop = firstDrop == null ? failure : firstDrop;
                    continue;
                }
                kept[images.size()] = splitLabels[i];
                images.add((DecodedImage) d);
            }
            offset += n;
            String name = dataset + "/" + (split.equals("train") && !storedValidation ? "official_train" : split);
            if (dropped > 0) {
                System.err.println("WARNING " + name + ": dropped " + dropped + " of " + n + " images that do not"
                        + " decode (corrupt_images: drop); the first: " + firstDrop.getMessage());
            }
            if (images.isEmpty()) {
                throw new DatasetException(name + ": none of its " + n + " images decodes; the first: "
                        + firstDrop.getMessage());
            }
            sets.put(split, ImageSetBuilder.build(name, images, Arrays.copyOf(kept, images.size()),
                    classNames.size(), channels));
        }
        return new SourceData(sets.get("train"), sets.get("validation"), sets.get("test"), classNames);
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }

    // ---------------------------------------------------------------- files

    /** The Parquet files of a location: the file itself, or a directory's part files in name order. */
    static List<FileStatus> partFiles(String dataset, String split, String location, Configuration hadoop) {
        String what = dataset + (split == null ? "" : " (" + split + " split)");
        Path path = new Path(location);
        FileStatus status;
        FileSystem fs;
        try {
            fs = path.getFileSystem(hadoop);
            status = fs.getFileStatus(path);
        } catch (FileNotFoundException e) {
            throw new DatasetException(what + ": no Parquet table at " + location + " (no such file or directory);"
                    + " check the task's path", e);
        } catch (IOException | RuntimeException e) {
            throw failure(what, location, e);
        }
        if (status.isFile()) {
            return List.of(status);
        }
        FileStatus[] children;
        try {
            children = fs.listStatus(path);
        } catch (IOException | RuntimeException e) {
            throw failure(what, location, e);
        }
        List<FileStatus> files = new ArrayList<>();
        List<String> others = new ArrayList<>();
        for (FileStatus child : children) {
            String name = child.getPath().getName();
            if (name.startsWith("_") || name.startsWith(".")) {
                continue;
            }
            if (child.isFile() && name.endsWith(".parquet")) {
                files.add(child);
            } else {
                others.add(name + (child.isDirectory() ? "/" : ""));
            }
        }
        if (files.isEmpty()) {
            others.sort(null);
            throw new DatasetException(what + ": " + location + " holds no Parquet files (*.parquet)"
                    + (others.isEmpty() ? "" : "; it holds " + (others.size() > 10 ? others.subList(0, 10) + " ..."
                            : others))
                    + "; give a Parquet file or a directory of part files (partitioned subdirectories are not read)");
        }
        files.sort((a, b) -> a.getPath().getName().compareTo(b.getPath().getName()));
        return files;
    }

    private static DatasetException failure(String what, String uri, Exception e) {
        if (e instanceof IOException io) {
            return new DatasetException(what + ": " + DataSources.failure(uri, io).getMessage(), e);
        }
        return new DatasetException(what + ": cannot read " + uri + " (" + e + "); check the URI, that its file"
                + " system is reachable from this host and that the run may read it", e);
    }

    /** Reads one file's rows into {@code rows}; returns how it stores labels. */
    private static LabelKind readFile(FileStatus file, Configuration hadoop, String dataset, String imageColumn,
            String labelColumn, String split, String splitColumn, Map<String, List<Row>> rows) {
        String where = file.getPath().toString();
        try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromStatus(file, hadoop),
                HadoopReadOptions.builder(hadoop).build())) {
            MessageType schema = reader.getFileMetaData().getSchema();
            Columns columns = columns(schema, where, dataset, imageColumn, labelColumn, splitColumn);
            reader.setRequestedSchema(columns.projection());
            MessageColumnIO io = new ColumnIOFactory().getColumnIO(columns.projection(), schema);
            long row = 0;
            PageReadStore pages;
            while ((pages = reader.readNextRowGroup()) != null) {
                RecordReader<Group> records = io.getRecordReader(pages, new GroupRecordConverter(columns.projection()));
                for (long i = 0, n = pages.getRowCount(); i < n; i++, row++) {
                    Group g = records.read();
                    String at = where + " row " + row;
                    String rowSplit = split != null ? split : splitOf(g, splitColumn, at);
                    Object label = labelOf(g, labelColumn, columns.labelKind(), at);
                    Raw image = rawImage(g, imageColumn, columns.structImage(), at);
                    rows.get(rowSplit).add(new Row(image, label));
                }
            }
            return columns.labelKind();
        } catch (DatasetException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new DatasetException(dataset + ": cannot read the Parquet file " + where + " (" + e + ")"
                    + (e instanceof FileNotFoundException ? "" : "; is it a complete Parquet file?"), e);
        }
    }

    // ---------------------------------------------------------------- columns

    private static Columns columns(MessageType schema, String where, String dataset, String imageColumn,
            String labelColumn, String splitColumn) {
        Type image = field(schema, imageColumn, "image_column", "the images", where, dataset);
        Type label = field(schema, labelColumn, "label_column", "the labels", where, dataset);
        Type split = splitColumn == null ? null
                : field(schema, splitColumn, "split_column", "each row's split (train/validation/test)", where,
                        dataset);

        boolean struct;
        Type projectedImage;
        if (image.isPrimitive() && !image.isRepetition(Type.Repetition.REPEATED)
                && image.asPrimitiveType().getPrimitiveTypeName() == PrimitiveTypeName.BINARY
                && image.getLogicalTypeAnnotation() == null) {
            struct = false;
            projectedImage = image;
        } else if (!image.isPrimitive() && !image.isRepetition(Type.Repetition.REPEATED)
                && image.getLogicalTypeAnnotation() == null) {
            GroupType g = image.asGroupType();
            List<Type> kept = new ArrayList<>();
            for (String f : STRUCT_FIELDS) {
                boolean ok = g.containsField(f) && g.getType(f).isPrimitive()
                        && !g.getType(f).isRepetition(Type.Repetition.REPEATED)
                        && g.getType(f).asPrimitiveType().getPrimitiveTypeName()
                                == (f.equals("data") ? PrimitiveTypeName.BINARY : PrimitiveTypeName.INT32);
                if (!ok) {
                    throw new DatasetException(dataset + ": image column '" + imageColumn + "' of " + where + " is "
                            + describe(image) + ", not Spark's image struct (needs height, width, nChannels, mode"
                            + " INT32 and data BINARY; " + (g.containsField(f) ? "'" + f + "' is " + describe(
                                    g.getType(f)) : "no field '" + f + "'") + "); image columns are Spark's image"
                            + " struct or BINARY encoded image bytes (PNG, JPEG, BMP, GIF)");
                }
                kept.add(g.getType(f));
            }
            struct = true;
            projectedImage = g.withNewFields(kept);
        } else {
            throw wrongType(dataset, "image", imageColumn, where, image,
                    "Spark's image struct (spark.read.format(\"image\")) or BINARY encoded image bytes (Spark binary)");
        }

        LabelKind kind;
        if (isInteger(label)) {
            kind = LabelKind.INTEGER;
        } else if (isString(label)) {
            kind = LabelKind.STRING;
        } else {
            throw wrongType(dataset, "label", labelColumn, where, label, INTEGER_TYPES + ", or " + STRING_TYPES);
        }
        if (split != null && !isString(split)) {
            throw wrongType(dataset, "split", splitColumn, where, split, STRING_TYPES + " holding train, validation"
                    + " or test");
        }
        List<Type> projected = new ArrayList<>(List.of(projectedImage, label));
        if (split != null && !split.getName().equals(image.getName()) && !split.getName().equals(label.getName())) {
            projected.add(split);
        }
        if (label.getName().equals(image.getName())) {
            throw new DatasetException(dataset + ": image_column and label_column both name '" + imageColumn + "'");
        }
        return new Columns(new MessageType(schema.getName(), projected), struct, kind);
    }

    private static Type field(MessageType schema, String column, String key, String holding, String where,
            String dataset) {
        if (schema.containsField(column)) {
            return schema.getType(column);
        }
        List<String> found = schema.getFields().stream().map(Type::getName).toList();
        String hint = found.stream().filter(n -> n.equalsIgnoreCase(column)).findFirst()
                .map(n -> " (column names are case-sensitive: '" + n + "'?)").orElse("");
        throw new DatasetException(dataset + ": " + where + " has no column '" + column + "'" + hint
                + "; its columns are " + found + ". Set the task's " + key + " to the column holding " + holding);
    }

    private static DatasetException wrongType(String dataset, String role, String column, String where, Type found,
            String accepted) {
        return new DatasetException(dataset + ": " + role + " column '" + column + "' of " + where + " is "
                + describe(found) + "; accepted: " + accepted);
    }

    private static boolean isInteger(Type t) {
        if (!t.isPrimitive() || t.isRepetition(Type.Repetition.REPEATED)) {
            return false;
        }
        PrimitiveTypeName p = t.asPrimitiveType().getPrimitiveTypeName();
        LogicalTypeAnnotation a = t.getLogicalTypeAnnotation();
        return (p == PrimitiveTypeName.INT32 || p == PrimitiveTypeName.INT64)
                && (a == null || a instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation);
    }

    private static boolean isString(Type t) {
        if (!t.isPrimitive() || t.isRepetition(Type.Repetition.REPEATED)) {
            return false;
        }
        LogicalTypeAnnotation a = t.getLogicalTypeAnnotation();
        return t.asPrimitiveType().getPrimitiveTypeName() == PrimitiveTypeName.BINARY
                && (a instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
                        || a instanceof LogicalTypeAnnotation.EnumLogicalTypeAnnotation);
    }

    /** A column's type in Parquet's terms: {@code DOUBLE}, {@code BINARY (STRING)}, {@code struct<a, b>}. */
    private static String describe(Type t) {
        String repeated = t.isRepetition(Type.Repetition.REPEATED) ? "repeated " : "";
        LogicalTypeAnnotation a = t.getLogicalTypeAnnotation();
        if (t.isPrimitive()) {
            PrimitiveType p = t.asPrimitiveType();
            return repeated + p.getPrimitiveTypeName() + (a == null ? "" : " (" + a + ")");
        }
        String fields = t.asGroupType().getFields().stream().map(f -> f.getName() + ":" + describe(f))
                .reduce((x, y) -> x + ", " + y).orElse("");
        return repeated + (a == null ? "struct" : "group (" + a + ")") + "<" + fields + ">";
    }

    // ---------------------------------------------------------------- values

    private static boolean isNull(Group g, String field) {
        return g.getFieldRepetitionCount(field) == 0;
    }

    private static String splitOf(Group g, String column, String at) {
        if (isNull(g, column)) {
            throw new DatasetException(at + ": split column '" + column + "' is null; each row must name its split ("
                    + String.join(", ", TaskSource.SPLITS) + ")");
        }
        String value = g.getString(column, 0);
        if (!TaskSource.SPLITS.contains(value)) {
            throw new DatasetException(at + ": split column '" + column + "' holds '" + value + "', not one of "
                    + TaskSource.SPLITS + "; fix the table, or set split_column to the column that names the splits");
        }
        return value;
    }

    private static Object labelOf(Group g, String column, LabelKind kind, String at) {
        if (isNull(g, column)) {
            throw new DatasetException(at + ": label column '" + column + "' is null; every row needs a label");
        }
        if (kind == LabelKind.STRING) {
            return g.getString(column, 0);
        }
        PrimitiveTypeName p = g.getType().getType(column).asPrimitiveType().getPrimitiveTypeName();
        return p == PrimitiveTypeName.INT32 ? (long) g.getInteger(column, 0) : g.getLong(column, 0);
    }

    private static Raw rawImage(Group g, String column, boolean struct, String at) {
        if (isNull(g, column)) {
            return new Raw(at, null, struct, 0, 0, 0, 0);
        }
        if (!struct) {
            return new Raw(at, g.getBinary(column, 0).getBytes(), false, 0, 0, 0, 0);
        }
        Group s = g.getGroup(column, 0);
        for (String f : STRUCT_FIELDS) {
            if (isNull(s, f)) {
                return new Raw(at, null, true, 0, 0, 0, 0);
            }
        }
        return new Raw(at, s.getBinary("data", 0).getBytes(), true, s.getInteger("height", 0),
                s.getInteger("width", 0), s.getInteger("nChannels", 0), s.getInteger("mode", 0));
    }

    /** Decodes encoded bytes, or converts Spark's H-W-C BGR(A) struct to C-H-W RGB. */
    private static DecodedImage toImage(Raw raw) {
        if (raw.bytes() == null) {
            throw new DatasetException(raw.where() + ": the image is null");
        }
        if (!raw.struct()) {
            return ImageDecoder.decode(raw.bytes(), raw.where());
        }
        return SparkImage.toImage(raw.where(), raw.height(), raw.width(), raw.nChannels(), raw.mode(), raw.bytes());
    }

    // ---------------------------------------------------------------- labels

    private static List<String> stringLabels(TaskSource source, Map<String, List<Row>> rows,
            Map<String, int[]> labels) {
        String dataset = source.dataset();
        List<String> names;
        if (!source.classes().isEmpty()) {
            names = source.classes();
            checkDeclaredCount(source, names.size());
        } else {
            Map<String, Set<String>> seen = new LinkedHashMap<>();
            rows.forEach((split, list) -> {
                Set<String> set = new TreeSet<>();
                list.forEach(r -> set.add((String) r.label()));
                seen.put(split, set);
            });
            Set<String> train = seen.get("train");
            for (String split : List.of("validation", "test")) {
                Set<String> extra = new TreeSet<>(seen.get(split));
                extra.removeAll(train);
                if (!extra.isEmpty()) {
                    throw new DatasetException(dataset + ": the splits disagree on the class list: " + split
                            + " holds " + extra + " that train lacks (train: " + train + ", " + split + ": "
                            + seen.get(split) + "); fix the table, or declare the task's classes");
                }
            }
            names = List.copyOf(train);
            if (source.numClasses() != null && source.numClasses() != names.size()) {
                throw new DatasetException(dataset + ": num_classes is " + source.numClasses() + " but the labels name "
                        + names.size() + " classes " + names + "; declare the task's classes to name them all");
            }
        }
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            index.putIfAbsent(names.get(i), i);
        }
        rows.forEach((split, list) -> {
            int[] out = new int[list.size()];
            for (int i = 0; i < out.length; i++) {
                Integer l = index.get((String) list.get(i).label());
                if (l == null) {
                    throw new DatasetException(list.get(i).image().where() + ": label '" + list.get(i).label()
                            + "' is not among the task's declared classes " + names
                            + "; add it to classes, or fix the row");
                }
                out[i] = l;
            }
            labels.put(split, out);
        });
        return names;
    }

    private static List<String> integerLabels(TaskSource source, Map<String, List<Row>> rows,
            Map<String, int[]> labels) {
        int n;
        List<String> names;
        if (!source.classes().isEmpty()) {
            names = source.classes();
            n = names.size();
            checkDeclaredCount(source, n);
        } else if (source.numClasses() != null) {
            n = source.numClasses();
            names = null;
        } else {
            long max = 0;
            for (List<Row> list : rows.values()) {
                for (Row r : list) {
                    max = Math.max(max, (Long) r.label());
                }
            }
            n = (int) Math.min(max + 1, MAX_INFERRED_CLASSES);
            names = null;
        }
        boolean declared = !source.classes().isEmpty() || source.numClasses() != null;
        for (Map.Entry<String, List<Row>> e : rows.entrySet()) {
            List<Row> list = e.getValue();
            int[] out = new int[list.size()];
            for (int i = 0; i < out.length; i++) {
                long l = (Long) list.get(i).label();
                if (l < 0 || l >= n || (!declared && l >= MAX_INFERRED_CLASSES)) {
                    throw new DatasetException(list.get(i).image().where() + ": label " + l + (l < 0 ? " is negative"
                            : declared ? " is outside the task's " + n + " declared classes [0, " + n + ")"
                                    : " is too large for a class index (at most " + MAX_INFERRED_CLASSES
                                            + " classes without a declared num_classes)")
                            + "; integer labels are class indices 0..N-1: fix the row"
                            + (declared ? ", or the task's num_classes/classes" : ""));
                }
                out[i] = (int) l;
            }
            labels.put(e.getKey(), out);
        }
        return names != null ? names : TaskData.numberedClasses(n);
    }

    private static void checkDeclaredCount(TaskSource source, int named) {
        if (source.numClasses() != null && source.numClasses() != named) {
            throw new DatasetException(source.dataset() + ": num_classes " + source.numClasses() + " but " + named
                    + " classes are named; give one of the two");
        }
    }
}
