package org.munet.cli;

import ai.djl.ndarray.NDManager;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.munet.serve.ExportWriter;
import org.munet.serve.StateModels;
import org.munet.serve.TaskModel;
import org.munet.serve.TaskModelInfo;
import org.munet.store.HadoopConf;
import org.munet.store.StateStore;
import org.munet.store.SystemManifest;
import org.munet.system.TaskPath;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code munet export}: one task's best path as a standalone model directory (timm-named
 * safetensors weights and a config.json) that PyTorch loads with python/munet_vit.py.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write one task's best model as a standalone directory: model.safetensors (timm key"
                + " names) and config.json. Load it in PyTorch with python/munet_vit.py.")
public final class ExportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--state", required = true, description = "State directory or URI.")
    String state;

    @Option(names = "--task", required = true, description = "The task whose best path to export, e.g. mnist.")
    String task;

    @Option(names = "--out", required = true,
            description = "Export directory or URI (local, hdfs://, s3a://); must be absent or empty.")
    String out;

    @Option(names = "--version", description = "State version to read (default: the latest).")
    Long version;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        Configuration conf = HadoopConf.forThisJvm();
        StateStore store = StateStore.open(state, conf);
        long v = StateModels.version(store, version);
        SystemManifest.Loaded system = StateModels.manifest(store, v);
        TaskPath path = StateModels.bestPath(system, task);
        ExportWriter.Written written;
        TaskModelInfo info;
        try (NDManager manager = NDManager.newBaseManager();
                TaskModel model = StateModels.load(store, system, path, StateModels.owned(manager))) {
            info = model.info();
            written = new ExportWriter(conf).write(model, out);
        }
        stdout.printf(Locale.ROOT, "exported task %s (path %d of %s, version %d) to %s%n", info.task(),
                info.pathId(), info.source(), info.version(), written.directory());
        stdout.printf(Locale.ROOT, "  model.safetensors: %d tensors, %d parameters, %d bytes, sha256 %s%n",
                written.tensors(), written.parameters(), written.weightsBytes(), written.weightsSha256());
        stdout.printf(Locale.ROOT, "  config.json: %d layers, adapters at %s, %d classes, image %dx%dx%d, test"
                + " accuracy %s%n", info.vit().numLayers(), info.adapterLayers(), info.numClasses(),
                info.vit().channels(), info.vit().imageSize(), info.vit().imageSize(),
                info.testAccuracy() == null ? "-" : String.format(Locale.ROOT, "%.2f%%", 100 * info.testAccuracy()));
        stdout.printf(Locale.ROOT, "  load in PyTorch: /usr/bin/python3 python/munet_vit.py %s --images X.npy"
                + " --logits-out Y.npy%n", localPath(written.directory()));
        stdout.flush();
        return 0;
    }

    /** Python reads local files only: the plain path of a local export, else a reminder to copy it. */
    private static String localPath(String directory) {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(directory);
        String scheme = p.toUri().getScheme();
        return scheme == null || scheme.equals("file") ? p.toUri().getPath() : "<a local copy of " + directory + ">";
    }
}
