package org.munet.system;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The components a path needs, derived entirely from its hyperparameters (spec §1.3): their names
 * in model order, shapes and parameter counts. Pure arithmetic, so the policy can reason about
 * shapes without the engine; {@code org.munet.nn} builds blocks of exactly these shapes (a test
 * holds the two together).
 */
public final class Architecture {

    /** One component slot of a path. {@code shape} is compared to decide reuse (spec §2.4). */
    public record Slot(String name, String shape, long parameterCount) {}

    private Architecture() {}

    public static List<Slot> slots(ModelDims dims, Hyperparams h) {
        int d = dims.hiddenSize();
        int p = dims.patchSize();
        int imageSize = h.getInt(HparamKeys.DS_IMAGE_SIZE);
        if (imageSize % p != 0) {
            throw new IllegalArgumentException("ds_image_size " + imageSize + " is not a multiple of patch " + p);
        }
        int side = imageSize / p;
        int tokens = side * side + 1;
        int numLayers = h.getInt(HparamKeys.NUM_LAYERS);
        TreeSet<Integer> adapters = adapterLayers(h.getString(HparamKeys.ADAPTER_LAYERS));
        int adapterDim = h.getInt(HparamKeys.ADAPTER_DIM);
        int classes = h.getInt(HparamKeys.NUM_CLASSES);

        long block = 4L * d + 3L * d * d + 3L * d + (long) d * d + d
                + (long) dims.mlpDim() * d + dims.mlpDim() + (long) d * dims.mlpDim() + d;
        List<Slot> out = new ArrayList<>();
        for (String name : componentNames(numLayers, adapters)) {
            out.add(switch (ComponentNames.kind(name)) {
                case ComponentNames.EMBEDDING -> new Slot(name, shape(d, dims.channels(), p, p),
                        (long) d * dims.channels() * p * p + d);
                case ComponentNames.CLS -> new Slot(name, shape(1, 1, d), d);
                case ComponentNames.POSEMBED -> new Slot(name, shape(1, tokens, d), (long) tokens * d);
                case ComponentNames.ADAPTER_PREFIX -> new Slot(name, "adapter" + shape(d, adapterDim),
                        2L * d + (long) adapterDim * d + adapterDim + (long) d * adapterDim + d);
                case ComponentNames.ENCODER_BLOCK_PREFIX -> new Slot(name,
                        "block" + shape(d, dims.mlpDim(), dims.numHeads()), block);
                case ComponentNames.ENCODER_NORM -> new Slot(name, shape(d), 2L * d);
                case ComponentNames.HEAD -> new Slot(name, shape(classes, d), (long) classes * d + classes);
                default -> throw new IllegalStateException("no shape for component " + name);
            });
        }
        return out;
    }

    /**
     * The order of components in a path (spec §1.1): embedding, cls, posembed_input, then per layer
     * i an optional residual_adapter_i followed by encoderblock_i, then encoder_norm and head. The
     * one definition of that order: {@link #slots} follows it and {@code org.munet.nn.PathModel}
     * checks assembled paths against it.
     */
    public static List<String> componentNames(int numLayers, java.util.Collection<Integer> adapterLayers) {
        List<String> names = new ArrayList<>(List.of(
                ComponentNames.EMBEDDING, ComponentNames.CLS, ComponentNames.POSEMBED));
        for (int i = 0; i < numLayers; i++) {
            if (adapterLayers.contains(i)) {
                names.add(ComponentNames.adapter(i));
            }
            names.add(ComponentNames.encoderBlock(i));
        }
        names.add(ComponentNames.ENCODER_NORM);
        names.add(ComponentNames.HEAD);
        return names;
    }

    /** Fails with the expected order when {@code names} is not a valid path. */
    public static void checkOrder(List<String> names) {
        int layers = 0;
        List<Integer> adapters = new ArrayList<>();
        for (String n : names) {
            if (n.startsWith(ComponentNames.ENCODER_BLOCK_PREFIX)) {
                layers++;
            } else if (n.startsWith(ComponentNames.ADAPTER_PREFIX)) {
                adapters.add(Integer.parseInt(n.substring(ComponentNames.ADAPTER_PREFIX.length())));
            }
        }
        List<String> expected = componentNames(layers, adapters);
        if (!expected.equals(names)) {
            throw new IllegalArgumentException(
                    "components out of order: got " + names + ", expected " + expected);
        }
    }

    public static long parameterCount(ModelDims dims, Hyperparams h) {
        return parameterCount(slots(dims, h));
    }

    public static long parameterCount(List<Slot> slots) {
        return slots.stream().mapToLong(Slot::parameterCount).sum();
    }

    /** Parses {@code adapter_layers}: sorted indices joined by '_', empty for none. */
    public static TreeSet<Integer> adapterLayers(String encoded) {
        TreeSet<Integer> out = new TreeSet<>();
        if (encoded == null || encoded.isEmpty()) {
            return out;
        }
        for (String part : encoded.split("_")) {
            try {
                out.add(Integer.parseInt(part));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("adapter_layers '" + encoded
                        + "' must be layer indices joined by '_', e.g. 0_3_7", e);
            }
        }
        return out;
    }

    public static String encodeAdapterLayers(java.util.Collection<Integer> layers) {
        StringBuilder b = new StringBuilder();
        for (int i : new TreeSet<>(layers)) {
            b.append(b.length() == 0 ? "" : "_").append(i);
        }
        return b.toString();
    }

    private static String shape(int... dims) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < dims.length; i++) {
            b.append(i == 0 ? "" : ",").append(dims[i]);
        }
        return b.append(']').toString();
    }
}
