package org.munet.serve;

import java.util.ArrayList;
import java.util.List;

/**
 * One example's prediction from its logits: the predicted label, its class name, and the {@code k}
 * most probable classes with their softmax probabilities, most probable first.
 *
 * <p>The label is the first maximal logit, with NaN counted as maximal: libtorch's {@code argmax},
 * which the state's test pass used, so a prediction equals the recorded one.
 */
public record Prediction(int label, String className, List<Scored> topK) {

    /** A class and its probability. */
    public record Scored(int label, String className, double probability) {}

    public Prediction {
        topK = List.copyOf(topK);
    }

    /**
     * @param logits the model's output
     * @param offset where this example's {@code classNames.size()} logits start
     * @param k how many classes to list (at most the class count)
     */
    public static Prediction of(float[] logits, int offset, List<String> classNames, int k) {
        int n = classNames.size();
        int best = 0;
        for (int c = 1; c < n; c++) {
            float v = logits[offset + c];
            float b = logits[offset + best];
            if (!Float.isNaN(b) && (Float.isNaN(v) || v > b)) {
                best = c;
            }
        }
        double[] probabilities = softmax(logits, offset, n);
        Integer[] order = new Integer[n];
        for (int c = 0; c < n; c++) {
            order[c] = c;
        }
        // Stable: equal probabilities keep label order.
        java.util.Arrays.sort(order, (a, b) -> Double.compare(probabilities[b], probabilities[a]));
        List<Scored> top = new ArrayList<>();
        for (int i = 0; i < Math.min(k, n); i++) {
            top.add(new Scored(order[i], classNames.get(order[i]), probabilities[order[i]]));
        }
        return new Prediction(best, classNames.get(best), top);
    }

    /** Softmax in double, shifted by the maximum so that large logits do not overflow. */
    static double[] softmax(float[] logits, int offset, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < n; c++) {
            max = Math.max(max, logits[offset + c]);
        }
        double[] p = new double[n];
        double sum = 0;
        for (int c = 0; c < n; c++) {
            p[c] = Math.exp(logits[offset + c] - max);
            sum += p[c];
        }
        for (int c = 0; c < n; c++) {
            p[c] /= sum;
        }
        return p;
    }
}
