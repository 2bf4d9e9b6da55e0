package org.munet.serve;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.munet.nn.ComponentBlock;
import org.munet.nn.ComponentFactory;
import org.munet.nn.HostComponent;
import org.munet.store.StateStore;
import org.munet.store.SystemManifest;

/**
 * The task models one JVM (a Spark executor, or the command itself) serves: each task's path
 * loaded once per JVM and device, its frozen components shared between tasks by file checksum as
 * in training, so a DataFrame that mixes many tasks loads every shared component once.
 *
 * <p>Models stay loaded for the JVM's life: an executor serves the same few paths partition
 * after partition, and a pinned version never changes. Per-batch activations live in per-batch
 * native scopes ({@link Predictor}), so memory stays flat however many rows pass.
 */
public final class TaskModels {

    private static final TaskModels JVM = new TaskModels();

    /** One device's native memory, its shared blocks and its loaded models. */
    private static final class DeviceModels {
        final NDManager manager;
        final Map<String, ComponentBlock> blocks = new HashMap<>();
        final Map<String, TaskModel> models = new HashMap<>();

        DeviceModels(Device device) {
            manager = NDManager.newBaseManager(device);
        }
    }

    private final Map<Device, DeviceModels> devices = new ConcurrentHashMap<>();
    private final Map<String, SystemManifest.Loaded> manifests = new ConcurrentHashMap<>();
    private final Map<String, StateStore> stores = new ConcurrentHashMap<>();

    /** This JVM's models. */
    public static TaskModels jvm() {
        return JVM;
    }

    /** The native memory models of {@code device} live in (for the batches run on them). */
    public NDManager manager(Device device) {
        return devices.computeIfAbsent(device, DeviceModels::new).manager;
    }

    /**
     * The task's model from {@code ref}, loaded on first use.
     *
     * @throws IllegalArgumentException when the task is not in the pinned version (naming the
     *     tasks it has) or has no finished path, or the export holds another task
     */
    public TaskModel get(ModelRef ref, String task, Configuration hadoop, Device device) {
        DeviceModels dm = devices.computeIfAbsent(device, DeviceModels::new);
        String key = ref + "#" + task;
        synchronized (dm) {
            TaskModel m = dm.models.get(key);
            if (m == null) {
                m = load(ref, task, hadoop, shared(dm));
                dm.models.put(key, m);
            }
            return m;
        }
    }

    /** What a task's model is, without loading its weights (for checks on the driver). */
    public TaskModelInfo info(ModelRef ref, String task, Configuration hadoop) {
        if (ref.isExport()) {
            return exported(ref, task, hadoop);
        }
        StateStore store = store(ref.stateUri(), hadoop);
        SystemManifest.Loaded system = manifest(store, ref);
        return StateModels.info(store, system, StateModels.bestPath(system, task));
    }

    /** The task an exported model holds. */
    public String exportedTask(ModelRef ref, Configuration hadoop) {
        if (!ref.isExport()) {
            throw new IllegalArgumentException("a state holds many tasks: name one");
        }
        return new ExportReader(hadoop).readConfig(ref.exportUri()).info().task();
    }

    private TaskModel load(ModelRef ref, String task, Configuration hadoop, StateModels.BlockSource blocks) {
        if (ref.isExport()) {
            exported(ref, task, hadoop);
            return new ExportReader(hadoop).read(ref.exportUri(), blocks);
        }
        StateStore store = store(ref.stateUri(), hadoop);
        SystemManifest.Loaded system = manifest(store, ref);
        return StateModels.load(store, system, StateModels.bestPath(system, task), blocks);
    }

    /** An export's description, which must be of {@code task}: an export holds one task. */
    private static TaskModelInfo exported(ModelRef ref, String task, Configuration hadoop) {
        TaskModelInfo info = new ExportReader(hadoop).readConfig(ref.exportUri()).info();
        if (!info.task().equals(task)) {
            throw new IllegalArgumentException("unknown task '" + task + "': the exported model "
                    + ref.exportUri() + " holds task '" + info.task() + "' only");
        }
        return info;
    }

    private StateStore store(String uri, Configuration hadoop) {
        return stores.computeIfAbsent(uri, u -> StateStore.open(u, hadoop));
    }

    private SystemManifest.Loaded manifest(StateStore store, ModelRef ref) {
        return manifests.computeIfAbsent(ref.stateUri() + "@" + ref.version(),
                k -> StateModels.manifest(store, ref.version()));
    }

    /** Frozen blocks shared by checksum within one device; never closed while the JVM serves. */
    private static StateModels.BlockSource shared(DeviceModels dm) {
        return new StateModels.BlockSource() {
            @Override
            public ComponentBlock obtain(String sha256, String name, ComponentFactory factory,
                    Supplier<HostComponent> parameters) {
                // The name is part of the key: the same bytes are one component only under one name.
                return dm.blocks.computeIfAbsent(name + "@" + sha256, k -> {
                    ComponentBlock b = factory.create(name);
                    b.load(dm.manager, parameters.get());
                    b.setTrainable(false);
                    return b;
                });
            }

            @Override
            public void release(List<ComponentBlock> blocks) {
                // Cached for the JVM's life (see the class comment).
            }
        };
    }
}
