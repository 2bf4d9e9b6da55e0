package org.munet.run;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.munet.config.TaskEntry;
import org.munet.system.TaskNames;

/**
 * The tasks a nightly run should know, a YAML file users edit between runs, on any Hadoop file
 * system:
 *
 * <pre>
 * tasks:                      # in introduction order
 *   - mnist
 *   - fashion_mnist/rot90
 *   - name: pets              # or a mapping: where the data is and how to read it (config.TaskEntry)
 *     path: hdfs:///data/pets
 * max_visits_per_task: 10     # optional: stop revisiting a task after this many visits
 * </pre>
 *
 * <p>Each run introduces the tasks the system has not seen, in this order, then revisits the others
 * (see {@link org.munet.evolution.VisitSchedule}). Removing a task from the catalog stops its visits;
 * its paths stay in the system.
 *
 * @param tasks the tasks as written, their names checked ({@link TaskNames#checkNames})
 * @param maxVisitsPerTask visits after which a task is left alone; null for no limit
 * @param source where it was read, for messages
 */
public record TaskCatalog(List<TaskEntry> tasks, Integer maxVisitsPerTask, String source) {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    /** The file as written. */
    private record File(@JsonProperty("tasks") List<TaskEntry> tasks,
            @JsonProperty("max_visits_per_task") Integer maxVisitsPerTask) {}

    /**
     * Reads and checks a catalog.
     *
     * @param location a path or URI ({@code file:}, {@code hdfs:}, {@code s3a:}, ...)
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    public static TaskCatalog load(String location, Configuration conf) {
        String source = "catalog " + location;
        File f;
        try {
            Path path = toPath(location);
            FileSystem fs = path.getFileSystem(conf);
            try (InputStream in = fs.open(path)) {
                f = YAML.readValue(in, File.class);
            }
        } catch (FileNotFoundException e) {
            throw new IllegalArgumentException(source + " does not exist; write one (see README, 'Nightly runs')",
                    e);
        } catch (UnrecognizedPropertyException e) {
            throw new IllegalArgumentException(source + ": unknown key '" + e.getPropertyName() + "'"
                    + (e.getReferringClass() == TaskEntry.class ? " in a task mapping" : "") + "; known keys: "
                    + String.join(", ", e.getKnownPropertyIds().stream().map(Object::toString).sorted().toList())
                    + " (deploy/configs/reference.yaml documents them)", e);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(source + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + source + ": " + e.getMessage(), e);
        }
        if (f == null || f.tasks() == null) {
            throw new IllegalArgumentException(source + " lists no tasks: write 'tasks: [mnist, fashion_mnist]'"
                    + " (an empty list 'tasks: []' is allowed)");
        }
        if (f.maxVisitsPerTask() != null && f.maxVisitsPerTask() < 1) {
            throw new IllegalArgumentException(source + ": max_visits_per_task must be at least 1, got "
                    + f.maxVisitsPerTask());
        }
        TaskNames.checkNames(TaskEntry.names(f.tasks()), source);
        return new TaskCatalog(List.copyOf(f.tasks()), f.maxVisitsPerTask(), source);
    }

    private static Path toPath(String location) {
        URI uri = URI.create(location.replace(" ", "%20"));
        if (uri.getScheme() == null) {
            return new Path(java.nio.file.Path.of(location).toAbsolutePath().normalize().toUri());
        }
        return new Path(uri);
    }
}
