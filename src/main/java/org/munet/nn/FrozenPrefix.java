package org.munet.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import org.munet.data.Batch;

/**
 * A path split where training starts: the frozen prefix (its leading frozen components) and the
 * rest. A µ2Net candidate usually reuses the bottom of its parent frozen, so it pays for the prefix
 * only a forward pass, never recorded for autograd, and, through a {@link PrefixCache}, only once
 * per batch however many candidates or validation rounds need it (the cache says when that holds).
 * Reuse copies the very values the prefix would compute, so a candidate trains to the same bits
 * with or without it.
 */
public final class FrozenPrefix {

    private final PathModel model;
    private final List<ComponentBlock> prefix;
    private final PrefixCache cache;
    private final boolean keep;

    /** @param cache where activations are shared, or null to compute them every time */
    public FrozenPrefix(PathModel model, PrefixCache cache) {
        this(model, cache, true);
    }

    /**
     * @param cache where activations are shared, or null to compute them every time
     * @param keep whether to keep the activations this prefix computes for other readers; without,
     *     it still takes those that others kept
     */
    public FrozenPrefix(PathModel model, PrefixCache cache, boolean keep) {
        this.model = model;
        this.prefix = model.components().subList(0, model.frozenPrefixLength());
        this.cache = cache;
        this.keep = keep;
    }

    /** The position of the first component that is not in the prefix. */
    public int length() {
        return prefix.size();
    }

    /**
     * The activations of {@code batch} after the prefix (the images themselves when it is empty),
     * on {@code step}. Computed with gradient recording off on this thread.
     */
    public NDArray activations(NDManager step, Batch batch) {
        try (GradMode off = GradMode.disabled()) {
            if (prefix.isEmpty()) {
                return BatchArrays.images(step, batch);
            }
            if (cache == null) {
                return applyPrefix(step, batch);
            }
            // The same frozen components end another path with all tokens where they are not its
            // last block: the key says which form the activations have.
            return cache.activations(prefix, model.classTokenOnlyAfter(length()), batch.key(), keep,
                    step, () -> applyPrefix(step, batch));
        }
    }

    /** The logits of {@code batch}: the rest of the path applied to the prefix's activations. */
    public NDArray logits(NDManager step, Batch batch) {
        return model.forwardFrom(length(), activations(step, batch));
    }

    private NDArray applyPrefix(NDManager step, Batch batch) {
        return model.apply(0, length(), BatchArrays.images(step, batch));
    }
}
