package org.munet.serve;

import java.util.List;
import org.munet.nn.ComponentBlock;
import org.munet.nn.PathModel;

/**
 * One task's path loaded for inference: its components, frozen, and what describes them. Blocks
 * may be shared with other task models of the same JVM (frozen components are shared by checksum,
 * as in training); {@link #close} returns them to whoever lent them.
 */
public final class TaskModel implements AutoCloseable {

    /** Gives back the blocks of a closed model; loaders that own their blocks close them. */
    @FunctionalInterface
    public interface Release {
        void release(List<ComponentBlock> blocks);
    }

    private final TaskModelInfo info;
    private final PathModel path;
    private final Release release;
    private boolean closed;

    public TaskModel(TaskModelInfo info, PathModel path, Release release) {
        if (info.vit().numLayers() != path.componentNames().stream()
                .filter(n -> n.startsWith(org.munet.system.ComponentNames.ENCODER_BLOCK_PREFIX)).count()) {
            throw new IllegalArgumentException(info.task() + ": the model description says "
                    + info.vit().numLayers() + " encoder blocks, the path has " + path.componentNames());
        }
        this.info = info;
        this.path = path;
        this.release = release;
    }

    public TaskModelInfo info() {
        return info;
    }

    public PathModel path() {
        return path;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            release.release(path.components());
        }
    }
}
