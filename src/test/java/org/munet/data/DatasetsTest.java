package org.munet.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loads the real datasets (fails, never skips, when they are absent). */
class DatasetsTest {

    @TempDir
    Path tmp;

    private static void assertSplits(TaskData t, String name) {
        assertEquals(name, t.name());
        assertEquals(10, t.numClasses());
        assertEquals(57000, t.train().size());
        assertEquals(3000, t.validation().size());
        assertEquals(10000, t.test().size());
        assertEquals(1, t.train().channels());
        assertEquals(28, t.train().height());
        assertEquals(28, t.train().width());
    }

    @Test
    void mnistSplitsFollowTheReference() {
        Path dir = TestFiles.dataDir();
        TaskData t = LocalData.load("mnist", dir);
        assertSplits(t, "mnist");
        // validation = train[0%:5%], train = train[5%:]: compare with the official file.
        IdxReader.Images official = IdxReader.readImages(dir.resolve("mnist/train-images-idx3-ubyte"));
        int[] officialLabels = IdxReader.readLabels(dir.resolve("mnist/train-labels-idx1-ubyte"));
        assertArrayEquals(Arrays.copyOfRange(official.pixels(), 0, 784),
            Arrays.copyOfRange(t.validation().pixels(), 0, 784));
        assertArrayEquals(Arrays.copyOfRange(official.pixels(), 3000 * 784, 3001 * 784),
            Arrays.copyOfRange(t.train().pixels(), 0, 784));
        assertEquals(officialLabels[0], t.validation().labels()[0]);
        assertEquals(officialLabels[59999], t.train().labels()[56999]);
        assertEquals(5, officialLabels[0]); // the well-known first MNIST digit
        // Cached: a second load (even via another spelling of the path) shares the arrays.
        assertSame(t, LocalData.load("mnist", dir.resolve("mnist").resolve("..")));
    }

    @Test
    void fashionMnistLoadsFromGzip() {
        Path dir = TestFiles.dataDir();
        assertTrue(Files.exists(dir.resolve("fashion-mnist/train-images-idx3-ubyte.gz")));
        TaskData t = LocalData.load("fashion_mnist", dir);
        assertSplits(t, "fashion_mnist");
        assertEquals("fashion_mnist/validation", t.validation().name());
    }

    @Test
    void derivedTasksOnRealData() {
        Path dir = TestFiles.dataDir();
        TaskData base = LocalData.load("mnist", dir);

        TaskData sub = LocalData.load("mnist/labels:5-9", dir);
        assertEquals("mnist/labels:5-9", sub.name());
        assertEquals(5, sub.numClasses());
        assertEquals("mnist/labels:5-9/test", sub.test().name());
        for (String split : List.of("train", "validation", "test")) {
            ImageSet parent = split.equals("train") ? base.train()
                : split.equals("validation") ? base.validation() : base.test();
            ImageSet child = split.equals("train") ? sub.train()
                : split.equals("validation") ? sub.validation() : sub.test();
            int k = 0;
            for (int i = 0; i < parent.size(); i++) {
                int label = parent.labels()[i];
                if (label >= 5) {
                    assertEquals(label - 5, child.labels()[k], split + " example " + k);
                    assertEquals(parent.pixels()[i * 784 + 400], child.pixels()[k * 784 + 400]);
                    k++;
                }
            }
            assertEquals(k, child.size(), split + ": count of labels 5..9");
        }

        TaskData turned = LocalData.load("mnist/rot90/rot90/rot90/rot90", dir);
        assertArrayEquals(base.test().pixels(), turned.test().pixels());
        assertArrayEquals(base.train().labels(), turned.train().labels());

        TaskData inv = LocalData.load("mnist/inverted", dir);
        assertEquals(255, (base.validation().pixels()[300] & 0xff) + (inv.validation().pixels()[300] & 0xff));

        TaskData composed = LocalData.load("fashion_mnist/rot90/inverted", dir);
        assertEquals(57000, composed.train().size());
        assertEquals(10, composed.numClasses());

        DatasetException e = assertThrows(DatasetException.class, () -> LocalData.load("mnist/labels:8-11", dir));
        assertTrue(e.getMessage().startsWith("mnist/labels:8-11: ") && e.getMessage().contains(">= num_classes 10"),
            e.getMessage());
    }

    @Test
    void unknownTaskListsKnownTasksAndSyntax() {
        assertEquals(List.of("mnist", "fashion_mnist"), Datasets.knownBaseTasks());
        DatasetException e = assertThrows(DatasetException.class, () -> LocalData.load("cifar10/rot90", tmp));
        assertTrue(e.getMessage().contains("unknown task 'cifar10'")
            && e.getMessage().contains("mnist, fashion_mnist")
            && e.getMessage().contains(TaskName.KNOWN_DERIVATIONS), e.getMessage());
    }

    @Test
    void missingDataNamesTheFetchCommand() throws IOException {
        Path dir = tmp.resolve("nowhere");
        DatasetException e = assertThrows(DatasetException.class, () -> LocalData.load("mnist", dir));
        assertEquals("MNIST not found in " + dir.resolve("mnist").toUri().toString().replaceAll("/$", "")
            .replace("file:///", "file:/") + " (missing train-images-idx3-ubyte): run "
            + "deploy/fetch-datasets.sh " + dir, e.getMessage());

        // A partial download names the first missing file; the failure is not cached.
        Path partial = Files.createDirectories(tmp.resolve("partial/fashion-mnist"));
        Files.write(partial.resolve("train-images-idx3-ubyte.gz"), new byte[0]);
        e = assertThrows(DatasetException.class, () -> LocalData.load("fashion_mnist", partial.getParent()));
        assertTrue(e.getMessage().startsWith("Fashion-MNIST not found in file:" + partial
            + " (missing train-labels-idx1-ubyte): run deploy/fetch-datasets.sh " + partial.getParent()),
            e.getMessage());
    }
}
