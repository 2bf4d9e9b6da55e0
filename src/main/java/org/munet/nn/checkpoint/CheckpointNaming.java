package org.munet.nn.checkpoint;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.munet.nn.HostTensor;

/**
 * One way ViT checkpoints name their tensors (timm, Hugging Face, vit_jax): how to recognise it, the
 * model dimensions its tensors reveal, and the full list of tensors it must hold for a ViT of those
 * dimensions, each with the munet parameter it becomes.
 */
interface CheckpointNaming {

    /** The schemes tried, in order; the first that recognises a checkpoint's keys reads it. */
    List<CheckpointNaming> ALL = List.of(new TimmNaming(), new HuggingFaceNaming(), VitJaxNaming.vitJax(),
            VitJaxNaming.bigVision());

    /** A short name for messages, e.g. "timm". */
    String name();

    /** Example keys, for the message listing the accepted schemes. */
    String exampleKeys();

    /** True when the (prefix-stripped) keys are in this scheme. */
    boolean recognises(Set<String> keys);

    /** The keys without a prefix the scheme allows (Hugging Face's "vit.", big_vision's "params/"). */
    Map<String, HostTensor> stripPrefix(Map<String, HostTensor> tensors);

    /** Tensors the scheme may hold that munet does not use: the classifier head, which is never reused. */
    boolean ignored(String key);

    /**
     * The keys that reveal the model's dimensions, each with its rank; they must be present and of
     * that rank before the rest can be checked.
     */
    Map<String, Integer> dimensionKeys();

    /**
     * Patch size, channels, width, MLP width, heads (null when the scheme does not record them) and
     * blocks, from {@link #dimensionKeys()}; each shape already checked to have the right rank.
     */
    Shapes shapes(Map<String, HostTensor> tensors, int blocks);

    /** Every tensor a checkpoint of these dimensions must hold, the class token and position embedding included. */
    List<TensorRule> rules(Shapes s);

    /** The regular expression whose group 1 is a block index, e.g. {@code blocks\.(\d+)\.}. */
    Pattern blockPattern();

    /** The dimensions read from a checkpoint. */
    record Shapes(int patchSize, int channels, int hiddenSize, int mlpDim, Integer numHeads, int blocks) {

        /**
         * The dimensions of a checkpoint in PyTorch layouts (timm, Hugging Face), which record no head
         * count: from the patch kernel (D, C, P, P) and the first MLP weight (mlp, D).
         */
        static Shapes pytorch(long[] patchKernel, long[] fc1Weight, int blocks) {
            return new Shapes((int) patchKernel[2], (int) patchKernel[1], (int) patchKernel[0], (int) fc1Weight[0],
                    null, blocks);
        }
    }

    /** The number of blocks: one more than the highest block index among the keys (gaps show up as missing keys). */
    default int blockCount(Set<String> keys) {
        int max = -1;
        for (String k : keys) {
            Matcher m = blockPattern().matcher(k);
            if (m.lookingAt()) {
                max = Math.max(max, Integer.parseInt(m.group(1)));
            }
        }
        return max + 1;
    }

    /** Keys of a map whose names start with {@code prefix}, with it removed; others unchanged. */
    static Map<String, HostTensor> strip(Map<String, HostTensor> tensors, String prefix) {
        Map<String, HostTensor> out = new java.util.LinkedHashMap<>();
        tensors.forEach((k, v) -> out.put(k.startsWith(prefix) ? k.substring(prefix.length()) : k, v));
        return out;
    }

    static Set<String> sorted(Set<String> keys) {
        return new TreeSet<>(keys);
    }
}
