package org.munet.nn;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.munet.system.Architecture;

/**
 * One task's model: an ordered list of components (spec §1.3), applied in sequence from images to
 * logits. Components are referenced, not owned: a frozen component may sit in several models, and
 * closing a model closes nothing. Whoever created the components closes them.
 */
public final class PathModel {

    private final List<ComponentBlock> components;
    /** Position of the last encoder block, after which only the class token is computed; -1 if none. */
    private final int readoutBlock;

    public PathModel(List<ComponentBlock> components) {
        this.components = Collections.unmodifiableList(new ArrayList<>(components));
        Architecture.checkOrder(componentNames());
        int last = -1;
        for (int i = 0; i < this.components.size(); i++) {
            if (this.components.get(i) instanceof EncoderBlock) {
                last = i;
            }
        }
        readoutBlock = last;
    }

    public List<ComponentBlock> components() {
        return components;
    }

    public List<String> componentNames() {
        List<String> names = new ArrayList<>();
        for (ComponentBlock c : components) {
            names.add(c.componentName());
        }
        return names;
    }

    public List<ComponentBlock> trainableComponents() {
        List<ComponentBlock> out = new ArrayList<>();
        for (ComponentBlock c : components) {
            if (c.isTrainable()) {
                out.add(c);
            }
        }
        return out;
    }

    public ComponentBlock component(String name) {
        for (ComponentBlock c : components) {
            if (c.componentName().equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("path has no component '" + name + "': " + componentNames());
    }

    /** (B, C, S, S) images in [-1, 1] to (B, classes) logits. */
    public NDArray forward(NDArray images) {
        return forwardFrom(0, images);
    }

    /** Applies the components from position {@code first} on, to the activation before it. */
    public NDArray forwardFrom(int first, NDArray x) {
        return apply(first, components.size(), x);
    }

    /**
     * Applies the components at positions {@code [first, end)} to the activation before the first.
     *
     * <p>The last encoder block computes the class token only ({@link
     * EncoderBlock#applyToClassToken}): after it come {@code encoder_norm}, which works token by
     * token, and the head, which reads the class token alone, so the other tokens' outputs would be
     * computed and thrown away (and, in training, given zero gradients). Activations from the last
     * block on are therefore (B, 1, D). The logits are the full model's, to rounding: products over
     * fewer rows may round differently, so this is a change of kernels, not of the model.
     */
    public NDArray apply(int first, int end, NDArray x) {
        for (int i = first; i < end; i++) {
            ComponentBlock c = components.get(i);
            x = i == readoutBlock ? ((EncoderBlock) c).applyToClassToken(x) : c.apply(x);
        }
        return x;
    }

    /** Whether the activations after the first {@code n} components hold the class token only. */
    boolean classTokenOnlyAfter(int n) {
        return readoutBlock >= 0 && n > readoutBlock;
    }

    /**
     * The frozen prefix: how many components, from the first, are frozen. Nothing in them needs a
     * gradient, so they run unrecorded and their activations may be shared ({@link FrozenPrefix}).
     */
    public int frozenPrefixLength() {
        int n = 0;
        while (n < components.size() && !components.get(n).isTrainable()) {
            n++;
        }
        return n;
    }

    /** Parameters the path runs at inference ("activated parameters"). */
    public long parameterCount() {
        return components.stream().mapToLong(ComponentBlock::parameterCount).sum();
    }

    public long trainableParameterCount() {
        return trainableComponents().stream().mapToLong(ComponentBlock::parameterCount).sum();
    }
}
