package org.munet.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.munet.data.LocalData;
import org.munet.data.TaskData;
import org.munet.evolution.ProgressListener;
import org.munet.worker.LocalCandidateRunner;

/**
 * An RGB model on colour images: a folder of rendered 40x40 JPEG and PNG images whose six classes
 * differ by colour (red, green, blue) and shape (disc, square), evolved with {@code channels: 3} and
 * {@code image_size: 32}. The colour is half of each label, so a model that lost the channels (or
 * mixed them up) could not pass.
 */
class ColourTaskIT {

    private static final String[] COLOURS = {"red", "green", "blue"};
    private static final String[] SHAPES = {"disc", "square"};
    /**
     * Test accuracy the evolved path must reach: chance is 1/6, and colour alone gives 1/2, so the
     * model must see colour and shape (measured: 0.757 on 2 cores).
     */
    private static final double REQUIRED_TEST_ACCURACY = 0.65;

    @TempDir
    Path dir;

    @Test
    void aColourImageFolderEvolvesWithAnRgbModel() throws Exception {
        Path shapes = dir.resolve("shapes");
        render(shapes.resolve("train"), 300, 1);
        render(shapes.resolve("test"), 50, 2);
        TaskData data = LocalData.load("shapes", dir);
        assertEquals(3, data.train().channels(), "colour images are kept as RGB");
        assertEquals(List.of("blue_disc", "blue_square", "green_disc", "green_square", "red_disc", "red_square"),
                data.classNames());

        Path config = TinyRuns.config(dir, "colour.yaml", List.of("{name: shapes, path: " + shapes + "}"), 4, 1);
        String yaml = Files.readString(config).replaceFirst("seed: 3\n",
                "seed: 3\nmodel:\n  image_size: 32\n  patch_size: 8\n  channels: 3\n")
                .replace("validations: 2", "validations: 8")
                .replace("max_train_examples_between_validations: 640", "max_train_examples_between_validations: 3200");
        Files.writeString(config, yaml);
        String state = dir.resolve("state").toString();
        try (LocalCandidateRunner runner = new LocalCandidateRunner(2)) {
            EvolveRun.run(config, state, null, null, runner, ProgressListener.NONE);
        }
        StateReader reader = new StateReader(state);
        Leaderboard.Row best = reader.leaderboard().rows().stream().filter(r -> r.task().equals("shapes"))
                .findFirst().orElseThrow();
        System.out.printf("colour task: validation %.4f, test %.4f (chance 0.167)%n", best.validation(), best.test());
        assertTrue(best.test() >= REQUIRED_TEST_ACCURACY, "test accuracy " + best.test());
        assertEquals(data.classNames(), reader.latest().state().classNames().get("shapes"),
                "the class names are recorded with the task");
    }

    /** {@code n} images per class, at random positions and sizes on a noisy gray background. */
    private static void render(Path split, int n, long seed) throws IOException {
        Random rng = new Random(seed);
        for (String colour : COLOURS) {
            for (String shape : SHAPES) {
                Path classDir = Files.createDirectories(split.resolve(colour + "_" + shape));
                for (int i = 0; i < n; i++) {
                    BufferedImage image = new BufferedImage(40, 40, BufferedImage.TYPE_INT_RGB);
                    for (int y = 0; y < 40; y++) {
                        for (int x = 0; x < 40; x++) {
                            int g = 90 + rng.nextInt(60);
                            image.setRGB(x, y, new Color(g, g, g).getRGB());
                        }
                    }
                    Graphics2D g = image.createGraphics();
                    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
                    int shade = 150 + rng.nextInt(100);
                    g.setColor(switch (colour) {
                        case "red" -> new Color(shade, 30, 30);
                        case "green" -> new Color(30, shade, 30);
                        default -> new Color(30, 30, shade);
                    });
                    int size = 14 + rng.nextInt(12);
                    int x = rng.nextInt(40 - size);
                    int y = rng.nextInt(40 - size);
                    if (shape.equals("disc")) {
                        g.fillOval(x, y, size, size);
                    } else {
                        g.fillRect(x, y, size, size);
                    }
                    g.dispose();
                    // Both encoders: JPEG for half of the images (lossy, as users' photos are).
                    String format = i % 2 == 0 ? "png" : "jpg";
                    ImageIO.write(image, format, classDir.resolve(String.format("%04d.%s", i, format)).toFile());
                }
            }
        }
    }
}
