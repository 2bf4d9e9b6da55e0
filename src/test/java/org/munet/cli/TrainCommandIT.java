package org.munet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.munet.cli.TrainCommandTest.trainJson;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * {@code munet train} with its default budget (5000 steps, minutes per task) reaches the accuracy
 * the README reports, on the real datasets.
 */
class TrainCommandIT {

    @Test
    void tinyViTLearnsMnist() throws IOException {
        JsonNode r = trainJson("mnist");
        assertTrue(r.get("test_accuracy").asDouble() >= 0.975, "MNIST test accuracy " + r);
        assertEquals(5, r.get("validation_accuracies").size());
        assertEquals(5000, r.get("steps").asInt());
        assertTrue(r.get("trainable_params").asLong() > 100_000, r.toString());
        assertTrue(r.get("samples_per_second").asDouble() > 0);
        assertTrue(r.get("peak_rss_mb").asDouble() > 0);
    }

    @Test
    void tinyViTLearnsFashionMnist() throws IOException {
        JsonNode r = trainJson("fashion_mnist");
        assertTrue(r.get("test_accuracy").asDouble() >= 0.87, "Fashion-MNIST test accuracy " + r);
    }
}
