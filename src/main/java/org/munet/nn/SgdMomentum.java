package org.munet.nn;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;

/**
 * The reference's optimizer (spec §2.5): clip gradients to global L2 norm 1.0, then SGD with
 * momentum (optionally Nesterov) as optax composes it: {@code trace = g + m * trace},
 * {@code update = nesterov ? g + m * trace : trace}, {@code param -= lr * update}.
 *
 * <p>Deliberate deviation: the reference stores the trace in bfloat16; here it stays float32,
 * because DJL 0.36's PyTorch engine aborts the JVM on a conversion to BFLOAT16. The trace is
 * slightly more precise than the reference's; nothing else changes.
 *
 * <p>Only trainable components are touched; frozen ones have no gradient. Must run inside the
 * training step's {@code NDScope}, after backward.
 */
final class SgdMomentum {

    static final double CLIP_NORM = 1.0;

    private final double momentum;
    private final boolean nesterov;

    SgdMomentum(double momentum, boolean nesterov) {
        this.momentum = momentum;
        this.nesterov = nesterov;
    }

    /** Applies one update at learning rate {@code lr}; returns the gradient norm before clipping. */
    double step(List<ComponentBlock> trainable, double lr) {
        List<ComponentBlock> owners = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<NDArray> params = new ArrayList<>();
        List<NDArray> grads = new ArrayList<>();
        NDArray sumOfSquares = null;
        for (ComponentBlock c : trainable) {
            List<NDArray> arrays = c.parameterArrays();
            List<String> paramNames = c.parameterNames();
            for (int i = 0; i < arrays.size(); i++) {
                NDArray g = GradMode.gradientOf(arrays.get(i));
                owners.add(c);
                names.add(paramNames.get(i));
                params.add(arrays.get(i));
                grads.add(g);
                NDArray sq = g.square().sum();
                sumOfSquares = sumOfSquares == null ? sq : sumOfSquares.add(sq);
            }
        }
        if (sumOfSquares == null) {
            return 0;
        }
        double norm = Math.sqrt(sumOfSquares.getFloat());
        double scale = norm > CLIP_NORM ? CLIP_NORM / norm : 1.0;
        // The three factors as native scalars made once per step, not once per parameter and use.
        NDArray scaleArray = scale == 1.0 ? null : Ops.scalar(sumOfSquares, (float) scale);
        NDArray momentumArray = Ops.scalar(sumOfSquares, (float) momentum);
        NDArray lrArray = Ops.scalar(sumOfSquares, (float) lr);
        for (int i = 0; i < params.size(); i++) {
            // In place wherever the value is ours to overwrite: the gradient is zeroed below anyway,
            // the trace belongs to the component. The same operations in the same order as
            // trace = g + m * trace (a sum of two terms is exact whichever comes first).
            NDArray g = grads.get(i);
            if (scaleArray != null) {
                g.muli(scaleArray);
            }
            NDArray trace = owners.get(i).momentum(names.get(i));
            if (trace == null) {
                trace = g.duplicate();
                owners.get(i).setMomentum(names.get(i), trace);
            } else {
                trace.muli(momentumArray).addi(g);
            }
            NDArray update = nesterov ? g.add(trace.mul(momentumArray)) : trace;
            params.get(i).subi(update.mul(lrArray));
            GradMode.zeroGradient(params.get(i));
        }
        return norm;
    }
}
