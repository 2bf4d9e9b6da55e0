package org.munet.serve;

import org.munet.nn.checkpoint.TimmKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.munet.nn.ComponentBlock;
import org.munet.nn.ComponentFactory;
import org.munet.nn.HostComponent;
import org.munet.nn.HostTensor;
import org.munet.nn.PathModel;
import org.munet.nn.Safetensors;
import org.munet.nn.VitConfig;
import org.munet.store.Sha256;
import org.munet.system.Architecture;

/**
 * Reads a directory written by {@link ExportWriter} back into a {@link TaskModel}, bit-exact: the
 * same weights, so the same logits.
 *
 * <p>Everything is checked before a block is built: config.json (present, a munet export of a
 * version this reader knows, consistent), then the weights against what the config describes, all
 * keys at once, so one message lists every missing, extra and mis-shaped tensor, then the weights'
 * checksum. The model's {@link TaskModelInfo#source} is the export directory.
 */
public final class ExportReader {

    private final Configuration conf;

    public ExportReader(Configuration conf) {
        this.conf = conf;
    }

    /** The config of an export, checked, without reading its weights. */
    public ExportConfig readConfig(String uriOrPath) {
        try (ExportLocation in = ExportLocation.open(uriOrPath, conf)) {
            return config(in);
        }
    }

    /**
     * @param blocks where the model's blocks come from, e.g. {@link StateModels#owned}
     * @throws IllegalArgumentException naming the file and every problem found
     * @throws UncheckedIOException if the file system fails
     */
    public TaskModel read(String uriOrPath, StateModels.BlockSource blocks) {
        try (ExportLocation in = ExportLocation.open(uriOrPath, conf)) {
            ExportConfig config = config(in);
            String source = in.file(ExportConfig.WEIGHTS_FILE).toString();
            if (!in.exists(ExportConfig.WEIGHTS_FILE)) {
                throw new IllegalArgumentException(in.uri() + " has a config.json but no "
                        + ExportConfig.WEIGHTS_FILE + ": the export is incomplete; export the model again");
            }
            byte[] bytes = in.read(ExportConfig.WEIGHTS_FILE);
            Map<String, HostTensor> tensors = Safetensors.decode(bytes, source, "weights file").tensors();
            TaskModelInfo described = config.info();
            ComponentFactory factory = new ComponentFactory(described.vit(), described.numClasses(),
                    described.adapterDim());
            Map<String, Map<String, String>> keys = checkKeys(tensors, factory, described, source);
            String sha = Sha256.hex(bytes);
            if (config.weightsSha256() != null && !config.weightsSha256().equalsIgnoreCase(sha)) {
                throw new IllegalArgumentException(source + " has SHA-256 " + sha + ", config.json's"
                        + " weights_sha256 says " + config.weightsSha256() + ": the weights were changed or"
                        + " damaged after export; export again (or, for weights changed on purpose, set"
                        + " weights_sha256 to the new checksum or null)");
            }
            TaskModelInfo info = new TaskModelInfo(described.task(), in.uri(), described.version(),
                    described.pathId(), described.vit(), described.adapterLayers(), described.adapterDim(),
                    described.classNames(), described.testAccuracy(), described.testPredictionsSha256());
            return load(info, factory, keys, tensors, sha, blocks);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read export " + uriOrPath + ": " + e.getMessage(), e);
        }
    }

    private static ExportConfig config(ExportLocation in) {
        try {
            FileStatus status = in.status();
            if (status == null || !status.isDirectory()) {
                throw new IllegalArgumentException(in.uri() + (status == null ? " does not exist" : " is a file")
                        + ": give the directory that 'munet export' wrote (it holds config.json and "
                        + ExportConfig.WEIGHTS_FILE + ")");
            }
            if (!in.exists(ExportConfig.CONFIG_FILE)) {
                throw new IllegalArgumentException(in.uri() + " has no " + ExportConfig.CONFIG_FILE + ": not a"
                        + " munet export, or one that did not finish (config.json is written last); export again");
            }
            return ExportConfig.parse(in.read(ExportConfig.CONFIG_FILE),
                    in.file(ExportConfig.CONFIG_FILE).toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read export " + in.uri() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Checks the file's keys and shapes against the components the config implies.
     *
     * @return per component name, its parameter names to their export keys, in path order
     */
    private static Map<String, Map<String, String>> checkKeys(Map<String, HostTensor> tensors,
            ComponentFactory factory, TaskModelInfo info, String source) {
        Map<String, Map<String, String>> keys = new LinkedHashMap<>();
        TreeSet<String> missing = new TreeSet<>();
        List<String> misshaped = new ArrayList<>();
        TreeSet<String> extra = new TreeSet<>(tensors.keySet());
        for (String name : Architecture.componentNames(info.vit().numLayers(), info.adapterLayers())) {
            ComponentBlock empty = factory.create(name); // declares shapes, allocates nothing
            Map<String, String> byParameter = new LinkedHashMap<>();
            for (Map.Entry<String, long[]> p : empty.parameterShapes().entrySet()) {
                String key = TimmKeys.of(name, p.getKey());
                byParameter.put(p.getKey(), key);
                extra.remove(key);
                HostTensor t = tensors.get(key);
                if (t == null) {
                    missing.add(key);
                } else if (!Arrays.equals(t.shape(), p.getValue())) {
                    misshaped.add(key + " (expected " + Arrays.toString(p.getValue()) + ", got "
                            + Arrays.toString(t.shape()) + ")");
                }
            }
            keys.put(name, byParameter);
        }
        if (!missing.isEmpty() || !extra.isEmpty() || !misshaped.isEmpty()) {
            VitConfig v = info.vit();
            throw new IllegalArgumentException(source + " does not match config.json (" + v.numLayers()
                    + " layers, adapters at " + info.adapterLayers() + ", width " + v.hiddenSize() + ", mlp "
                    + v.mlpDim() + ", " + v.channels() + " channels, patch " + v.patchSize() + ", image "
                    + v.imageSize() + ", " + info.numClasses() + " classes, adapter_dim " + info.adapterDim()
                    + "): " + listing("missing", missing) + "; " + listing("extra", extra) + "; "
                    + listing("mis-shaped", misshaped) + ". The weights and the config come from different"
                    + " models or were edited; export the model again");
        }
        return keys;
    }

    private static String listing(String what, java.util.Collection<String> keys) {
        return keys.size() + " " + what + (keys.isEmpty() ? "" : " " + keys);
    }

    private static TaskModel load(TaskModelInfo info, ComponentFactory factory,
            Map<String, Map<String, String>> keys, Map<String, HostTensor> tensors, String weightsSha,
            StateModels.BlockSource blocks) {
        List<ComponentBlock> loaded = new ArrayList<>();
        try {
            for (Map.Entry<String, Map<String, String>> c : keys.entrySet()) {
                Map<String, HostTensor> parameters = new LinkedHashMap<>();
                c.getValue().forEach((parameter, key) -> parameters.put(parameter, tensors.get(key)));
                // A cache key unique to these bytes: the export's checksum and the component.
                loaded.add(blocks.obtain(weightsSha + "/" + c.getKey(), c.getKey(), factory,
                        () -> new HostComponent(c.getKey(), parameters, Map.of())));
            }
            return new TaskModel(info, new PathModel(loaded), blocks::release);
        } catch (RuntimeException e) {
            blocks.release(loaded);
            throw e;
        }
    }
}
