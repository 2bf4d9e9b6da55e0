package org.munet.nn;

import java.util.ArrayList;
import java.util.List;

/**
 * The order of components in a path (spec §1.1): embedding, cls, posembed_input, then per layer i
 * an optional residual_adapter_i followed by encoderblock_i (i = 0, 1, ...), then encoder_norm and
 * head.
 */
public final class PathLayout {

    private PathLayout() {}

    /** Component names for {@code numLayers} blocks with adapters before the given layers. */
    public static List<String> names(int numLayers, List<Integer> adapterLayers) {
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
    static void check(List<String> names) {
        int layers = 0;
        List<Integer> adapters = new ArrayList<>();
        for (String n : names) {
            if (n.startsWith(ComponentNames.ENCODER_BLOCK_PREFIX)) {
                layers++;
            } else if (n.startsWith(ComponentNames.ADAPTER_PREFIX)) {
                adapters.add(Integer.parseInt(n.substring(ComponentNames.ADAPTER_PREFIX.length())));
            }
        }
        List<String> expected = names(layers, adapters);
        if (!expected.equals(names)) {
            throw new IllegalArgumentException(
                    "components out of order: got " + names + ", expected " + expected);
        }
    }
}
