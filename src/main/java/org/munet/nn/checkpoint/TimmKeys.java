package org.munet.nn.checkpoint;

import java.util.LinkedHashMap;
import java.util.Map;
import org.munet.system.ComponentNames;

/**
 * Names of munet's component parameters in timm's {@code VisionTransformer} state dict: the one
 * table behind both directions, importing a timm checkpoint as the root ({@link TimmNaming}) and
 * exporting a task's model ({@code org.munet.serve.ExportWriter}), so that a PyTorch user can load
 * the weights into a timm-shaped module as they are.
 * The layouts already agree (patch kernel (D, C, P, P), fused qkv rows q|k|v, Linear weights
 * (out, in)), so only the names change, never a value.
 *
 * <p>timm has no residual adapters: they go under {@code adapters.<i>.{norm,down,up}}, adapter
 * {@code i} running before {@code blocks.<i>}.
 */
public final class TimmKeys {

    /** Per component kind: munet's parameter name to the key's suffix under the kind's prefix. */
    private static final Map<String, Map<String, String>> SUFFIXES = Map.of(
            ComponentNames.EMBEDDING, ordered("kernel", "patch_embed.proj.weight", "bias", "patch_embed.proj.bias"),
            ComponentNames.CLS, ordered("cls", "cls_token"),
            ComponentNames.POSEMBED, ordered("pos_embedding", "pos_embed"),
            ComponentNames.ENCODER_BLOCK_PREFIX, ordered(
                    "ln1.scale", "norm1.weight", "ln1.bias", "norm1.bias",
                    "attention.qkv.weight", "attn.qkv.weight", "attention.qkv.bias", "attn.qkv.bias",
                    "attention.out.weight", "attn.proj.weight", "attention.out.bias", "attn.proj.bias",
                    "ln2.scale", "norm2.weight", "ln2.bias", "norm2.bias",
                    "mlp.fc1.weight", "mlp.fc1.weight", "mlp.fc1.bias", "mlp.fc1.bias",
                    "mlp.fc2.weight", "mlp.fc2.weight", "mlp.fc2.bias", "mlp.fc2.bias"),
            ComponentNames.ADAPTER_PREFIX, ordered(
                    "ln.scale", "norm.weight", "ln.bias", "norm.bias",
                    "down.weight", "down.weight", "down.bias", "down.bias",
                    "up.weight", "up.weight", "up.bias", "up.bias"),
            ComponentNames.ENCODER_NORM, ordered("scale", "norm.weight", "bias", "norm.bias"),
            ComponentNames.HEAD, ordered("weight", "head.weight", "bias", "head.bias"));

    private TimmKeys() {}

    /**
     * The export key of parameter {@code parameter} of component {@code component}, e.g.
     * {@code encoderblock_1}, {@code attention.out.weight} to {@code blocks.1.attn.proj.weight}.
     */
    public static String of(String component, String parameter) {
        String kind = ComponentNames.kind(component);
        Map<String, String> suffixes = SUFFIXES.get(kind);
        String suffix = suffixes == null ? null : suffixes.get(parameter);
        if (suffix == null) {
            // A component kind or parameter added to munet without a name in the export format.
            throw new IllegalStateException("no export key for " + component + "." + parameter
                    + ": add it to " + TimmKeys.class.getName());
        }
        return prefix(component, kind) + suffix;
    }

    private static String prefix(String component, String kind) {
        if (kind.equals(ComponentNames.ENCODER_BLOCK_PREFIX)) {
            return "blocks." + component.substring(kind.length()) + ".";
        }
        if (kind.equals(ComponentNames.ADAPTER_PREFIX)) {
            return "adapters." + component.substring(kind.length()) + ".";
        }
        return "";
    }

    private static Map<String, String> ordered(String... pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return m;
    }
}
