package org.munet.nn.checkpoint;

import java.util.Locale;

/** The file formats a pretrained root is read from. */
public enum CheckpointFormat {
    /** Hugging Face safetensors (timm and transformers both save it): F32, F16 or BF16 tensors. */
    SAFETENSORS("safetensors"),
    /** A NumPy zip of .npy arrays, as vit_jax and big_vision publish their ViTs: float32 or float16. */
    NPZ("npz");

    private final String key;

    CheckpointFormat(String key) {
        this.key = key;
    }

    /** The name used in configs ({@code root.format}). */
    public String key() {
        return key;
    }

    /**
     * The format named in a config, else the one {@code path}'s extension says, else null (then the
     * file's first bytes decide: {@link #sniff}).
     */
    public static CheckpointFormat resolve(String name, String path) {
        if (name != null) {
            for (CheckpointFormat f : values()) {
                if (f.key.equals(name.toLowerCase(Locale.ROOT))) {
                    return f;
                }
            }
            throw new CheckpointException("root.format '" + name + "' is not a checkpoint format; known: safetensors, npz");
        }
        String lower = path.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".safetensors")) {
            return SAFETENSORS;
        }
        if (lower.endsWith(".npz")) {
            return NPZ;
        }
        return null;
    }

    /** A file without a telling extension: an .npz is a zip ("PK"), anything else is read as safetensors. */
    static CheckpointFormat sniff(byte[] bytes) {
        return bytes.length >= 2 && bytes[0] == 'P' && bytes[1] == 'K' ? NPZ : SAFETENSORS;
    }
}
