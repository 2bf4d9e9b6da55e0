package org.munet.run;

import java.util.List;
import org.munet.system.CheckpointDims;
import org.munet.system.Component;
import org.munet.system.ComponentNames;
import org.munet.system.Population;
import org.munet.system.TaskPath;

/**
 * The dimensions of a state's pretrained root, read back from the shapes its root components were
 * recorded with ({@code embedding} [D,C,P,P], {@code encoderblock_i} block[D,mlp,heads]): what a
 * continued run needs when the checkpoint file itself is no longer there.
 */
final class RootDims {

    private RootDims() {}

    static CheckpointDims of(Population population, String source) {
        TaskPath root = population.paths().stream()
                .filter(p -> p.task().equals(Component.NOT_TRAINABLE) && p.parentId() == null)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(source + " holds no root path"));
        int[] embedding = null;
        int[] block = null;
        int blocks = 0;
        for (Component c : population.componentsOf(root)) {
            if (c.name().equals(ComponentNames.EMBEDDING)) {
                embedding = numbers(c.shape());
            } else if (c.name().startsWith(ComponentNames.ENCODER_BLOCK_PREFIX)) {
                block = numbers(c.shape());
                blocks++;
            }
        }
        if (embedding == null || embedding.length != 4 || block == null || block.length != 3) {
            throw new IllegalStateException(source + ": its root path's component shapes do not give the model's"
                    + " dimensions (embedding " + java.util.Arrays.toString(embedding) + ", block "
                    + java.util.Arrays.toString(block) + ")");
        }
        return new CheckpointDims(source + " (the root it was created with)", embedding[2], embedding[1],
                embedding[0], block[1], block[2], blocks);
    }

    /** The integers inside a shape string such as "block[64,128,4]". */
    private static int[] numbers(String shape) {
        String inside = shape.substring(shape.indexOf('[') + 1, shape.lastIndexOf(']'));
        List<String> parts = List.of(inside.split(","));
        return parts.stream().mapToInt(s -> Integer.parseInt(s.trim())).toArray();
    }
}
