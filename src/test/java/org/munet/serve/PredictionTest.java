package org.munet.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class PredictionTest {

    private static final List<String> CLASSES = List.of("cat", "dog", "eel", "fox");

    @Test
    void theLabelIsTheFirstMaximalLogitAndTopKIsSortedByProbability() {
        float[] logits = {9f, 0.5f, 2f, 2f, 3f, 1f};
        Prediction p = Prediction.of(logits, 2, CLASSES, 3);
        assertEquals(2, p.label(), "logits [2, 2, 3, 1] from offset 2");
        assertEquals("eel", p.className());
        assertEquals(List.of(2, 0, 1), p.topK().stream().map(Prediction.Scored::label).toList(),
                "ties keep label order");
        double sum = 0;
        for (double v : Prediction.softmax(logits, 2, 4)) {
            sum += v;
        }
        assertEquals(1.0, sum, 1e-12);
        double e = Math.exp(1);
        assertEquals(e / (2 * e + e * e + 1), p.topK().get(1).probability(), 1e-12);
        assertEquals(0, Prediction.of(new float[] {5f, 5f, 1f, 0f}, 0, CLASSES, 1).label(), "first of equal maxima");
    }

    @Test
    void nanCountsAsMaximalLikeLibtorchsArgmax() {
        assertEquals(1, Prediction.of(new float[] {5f, Float.NaN, 7f, 0f}, 0, CLASSES, 2).label());
    }

    @Test
    void hugeLogitsDoNotOverflowTheSoftmax() {
        Prediction p = Prediction.of(new float[] {1e30f, 0f, -1e30f, 1e30f}, 0, CLASSES, 4);
        assertEquals(0.5, p.topK().get(0).probability(), 1e-12);
        assertEquals(4, p.topK().size());
        assertEquals(1, Prediction.of(new float[] {0f, 1f, 0f, 0f}, 0, CLASSES, 9).topK().get(0).label());
    }
}
