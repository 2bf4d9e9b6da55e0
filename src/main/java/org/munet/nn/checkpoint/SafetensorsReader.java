package org.munet.nn.checkpoint;

import java.util.Map;
import org.munet.nn.HostTensor;
import org.munet.nn.Safetensors;


/**
 * Reads every tensor of a safetensors checkpoint as float32 (F32, F16 or BF16), through munet's
 * one safetensors codec ({@link Safetensors}), with the checkpoint's own error type and hint.
 */
final class SafetensorsReader {

    private SafetensorsReader() {}

    static Map<String, HostTensor> read(byte[] bytes, String source) {
        try {
            return Safetensors.decode(bytes, source, "safetensors checkpoint").tensors();
        } catch (CheckpointException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(e.getMessage() + " (if it is an .npz, set root.format: npz)", e);
        }
    }
}
