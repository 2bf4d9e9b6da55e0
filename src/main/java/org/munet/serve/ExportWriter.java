package org.munet.serve;

import org.munet.nn.checkpoint.TimmKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.munet.nn.ComponentBlock;
import org.munet.nn.HostComponent;
import org.munet.nn.HostTensor;
import org.munet.nn.Safetensors;
import org.munet.store.Sha256;

/**
 * Writes one task's model as a self-contained directory that needs neither munet nor its state:
 * {@code model.safetensors} (F32, timm key names, see {@link TimmKeys}) and {@code config.json}
 * ({@link ExportConfig}).
 *
 * <p>A failed export leaves nothing that looks valid: {@code config.json}, which every reader needs
 * first, is published last, each file appears under its name only when complete, and what this
 * writer created is removed on failure. An existing non-empty directory is never written into, so
 * an export never mixes with or replaces another.
 */
public final class ExportWriter {

    /** What was written: the directory, and the weights' size and checksum. */
    public record Written(String directory, int tensors, long parameters, long weightsBytes,
            String weightsSha256) {}

    private final Configuration conf;

    public ExportWriter(Configuration conf) {
        this.conf = conf;
    }

    /**
     * @param uriOrPath the export directory: absent or empty
     * @throws IllegalArgumentException if it exists and is a file or holds anything
     * @throws UncheckedIOException if the file system fails (nothing that looks valid is left)
     */
    public Written write(TaskModel model, String uriOrPath) {
        Map<String, HostTensor> tensors = tensors(model);
        // Safetensors' own convention for PyTorch-layout files (what safetensors.torch writes).
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", "pt");
        byte[] weights = Safetensors.encode(tensors, metadata);
        String sha = Sha256.hex(weights);
        byte[] config = new ExportConfig(model.info(), sha).toJson();
        try (ExportLocation out = ExportLocation.open(uriOrPath, conf)) {
            refuseNonEmpty(out);
            publish(out, weights, config);
            long parameters = tensors.values().stream().mapToLong(HostTensor::size).sum();
            return new Written(out.uri(), tensors.size(), parameters, weights.length, sha);
        }
    }

    /** Weights first, config last; on failure removes what this export created. */
    private static void publish(ExportLocation out, byte[] weights, byte[] config) {
        boolean created = false;
        try {
            created = out.create();
            out.publish(ExportConfig.WEIGHTS_FILE, weights);
            out.publish(ExportConfig.CONFIG_FILE, config);
        } catch (IOException | RuntimeException e) {
            out.deleteQuietly(out.file(ExportConfig.CONFIG_FILE));
            out.deleteQuietly(out.file(ExportConfig.WEIGHTS_FILE));
            if (created) {
                out.deleteQuietly(out.dir());
            }
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new UncheckedIOException("export to " + out.uri() + " failed, nothing was left behind: "
                    + e.getMessage(), (IOException) e);
        }
    }

    /** The path's parameters under their export keys, in path order; momentum is not exported. */
    static Map<String, HostTensor> tensors(TaskModel model) {
        Map<String, HostTensor> out = new LinkedHashMap<>();
        for (ComponentBlock block : model.path().components()) {
            HostComponent host = block.toHost();
            host.parameters().forEach((name, t) -> out.put(TimmKeys.of(host.name(), name), t));
        }
        return out;
    }

    private static void refuseNonEmpty(ExportLocation out) {
        try {
            FileStatus status = out.status();
            if (status == null) {
                return;
            }
            if (!status.isDirectory()) {
                throw new IllegalArgumentException(out.uri() + " is a file: give a new directory to export to");
            }
            FileStatus[] entries = out.list();
            if (entries.length > 0) {
                String names = Arrays.stream(entries).limit(5).map(s -> s.getPath().getName())
                        .collect(Collectors.joining(", "));
                throw new IllegalArgumentException(out.uri() + " already exists and is not empty (" + names
                        + (entries.length > 5 ? ", ..." : "") + "): an export never overwrites; give a new"
                        + " directory, or delete this one first");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + out.uri() + ": " + e.getMessage(), e);
        }
    }
}
