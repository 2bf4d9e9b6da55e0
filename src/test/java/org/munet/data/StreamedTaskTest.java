package org.munet.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A folder task larger than the cache bound is streamed in shards: the shards hold exactly the
 * train split a whole load holds, in the same order, the validation and test splits are the same,
 * the cache stays within its bound, and a stream visits every shard.
 */
public class StreamedTaskTest {

    @TempDir
    Path data;

    @AfterEach
    void restoreTheBound() {
        Datasets.limitCache(Datasets.DEFAULT_CACHE_BYTES);
    }

    @Test
    void aFolderLargerThanTheCacheIsStreamedInShardsOfTheSameImages() throws Exception {
        writeFolder(data.resolve("big"), 600, 100);
        TaskData whole = LocalData.load("big", data);
        assertNull(whole.shards());

        long bound = 100_000; // the train split decodes to about 450 KB
        Datasets.limitCache(bound);
        TaskData streamed = LocalData.load("big", data);
        TrainShards shards = streamed.shards();
        assertNotNull(shards, "streamed once the bound is below its size");
        assertTrue(shards.count() > 1, "shards: " + shards.count());
        assertEquals(whole.train().size(), streamed.trainSize());
        assertArrayEquals(whole.train().labels(), streamed.trainLabels());
        assertArrayEquals(whole.validation().pixels(), streamed.validation().pixels());
        assertArrayEquals(whole.test().pixels(), streamed.test().pixels());
        assertThrows(IllegalStateException.class, streamed::train);

        // The shards, in order, are the whole train split.
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int k = 0; k < shards.count(); k++) {
            ImageSet shard = shards.shard(k);
            assertEquals(shards.size(k), shard.size());
            assertTrue(shard.bytes() <= bound / 4 + 4L * shard.size(), "a shard takes a quarter of the bound");
            all.write(shard.pixels());
            assertTrue(Datasets.cachedBytes() <= bound, "the cache holds " + Datasets.cachedBytes());
        }
        assertArrayEquals(whole.train().pixels(), all.toByteArray());

        // One epoch of a stream visits every shard's full batches once.
        TrainStream stream = TrainStream.of(streamed, 8, DataHparams.none(28), 1, 3);
        int expectedBatches = 0;
        for (int k = 0; k < shards.count(); k++) {
            expectedBatches += shards.size(k) / 8;
        }
        int[] seen = new int[2];
        for (int b = 0; b < expectedBatches; b++) {
            Batch batch = stream.next();
            assertEquals(0, stream.epoch());
            for (int l : batch.labels()) {
                seen[l]++;
            }
        }
        stream.next();
        assertEquals(1, stream.epoch(), "the next batch starts the second epoch");
        assertEquals(expectedBatches * 8, seen[0] + seen[1]);
        assertTrue(seen[0] > 0 && seen[1] > 0, "both classes come through: " + seen[0] + ", " + seen[1]);

        DatasetException derived = assertThrows(DatasetException.class, () -> LocalData.load("big/rot90", data));
        assertTrue(derived.getMessage().contains("raise training.task_data_cache_mb"), derived.getMessage());
    }

    /** Two classes of noise with a bright or a dark square; {@code train} and {@code test} images. */
    public static void writeFolder(Path root, int train, int test) throws Exception {
        Random rng = new Random(1);
        for (String split : new String[] {"train", "test"}) {
            int n = split.equals("train") ? train : test;
            for (int i = 0; i < n; i++) {
                int label = i % 2;
                Path file = Files.createDirectories(root.resolve(split).resolve(label == 0 ? "dark" : "light"))
                        .resolve(String.format("%05d.png", i));
                BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
                byte[] px = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
                rng.nextBytes(px);
                for (int y = 8; y < 20; y++) {
                    for (int x = 8; x < 20; x++) {
                        px[y * 28 + x] = (byte) (label == 0 ? 0 : 255);
                    }
                }
                ImageIO.write(image, "png", file.toFile());
            }
        }
    }
}
