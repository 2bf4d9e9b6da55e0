package org.munet.system;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.munet.nn.ComponentNames;

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

        List<Slot> out = new ArrayList<>();
        out.add(new Slot(ComponentNames.EMBEDDING, shape(d, dims.channels(), p, p),
                (long) d * dims.channels() * p * p + d));
        out.add(new Slot(ComponentNames.CLS, shape(1, 1, d), d));
        out.add(new Slot(ComponentNames.POSEMBED, shape(1, tokens, d), (long) tokens * d));
        long block = 4L * d + 3L * d * d + 3L * d + (long) d * d + d
                + (long) dims.mlpDim() * d + dims.mlpDim() + (long) d * dims.mlpDim() + d;
        for (int i = 0; i < numLayers; i++) {
            if (adapters.contains(i)) {
                out.add(new Slot(ComponentNames.adapter(i), "adapter" + shape(d, adapterDim),
                        2L * d + (long) adapterDim * d + adapterDim + (long) d * adapterDim + d));
            }
            out.add(new Slot(ComponentNames.encoderBlock(i), "block" + shape(d, dims.mlpDim(), dims.numHeads()),
                    block));
        }
        out.add(new Slot(ComponentNames.ENCODER_NORM, shape(d), 2L * d));
        out.add(new Slot(ComponentNames.HEAD, shape(classes, d), (long) classes * d + classes));
        return out;
    }

    public static long parameterCount(ModelDims dims, Hyperparams h) {
        return slots(dims, h).stream().mapToLong(Slot::parameterCount).sum();
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
