package org.munet.nn.checkpoint;

/**
 * One tensor a naming scheme expects: its key and shape in the checkpoint, and the munet component
 * parameter it becomes. Query, key and value arrive separately in some schemes as the parameters
 * {@code attention.q|k|v.weight|bias}, which {@link VitCheckpoint} fuses into munet's one
 * {@code attention.qkv} projection.
 *
 * @param key the key in the checkpoint (after the scheme's prefix is stripped)
 * @param shape the expected shape in the checkpoint; null when {@link VitCheckpoint} checks it itself
 * @param component munet component name
 * @param param parameter name inside the component
 * @param layout how the tensor becomes munet's layout
 */
record TensorRule(String key, long[] shape, String component, String param, Layout layout) {

    static TensorRule of(String key, String component, String param, Layout layout, long... shape) {
        return new TensorRule(key, shape, component, param, layout);
    }
}
