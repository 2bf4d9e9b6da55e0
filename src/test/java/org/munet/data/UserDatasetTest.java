package org.munet.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A user's own IDX dataset is a task named after its directory in the data directory. */
class UserDatasetTest {

    private static Path mnist() {
        String dir = System.getProperty("munet.data.dir");
        assertTrue(dir != null, "munet.data.dir is not set: run deploy/fetch-datasets.sh data");
        return Path.of(dir, "mnist");
    }

    @Test
    void directoryOfIdxFilesIsATask(@TempDir Path data) throws IOException {
        Path mine = Files.createDirectories(data.resolve("my_digits"));
        // The official test set stands in for a user's train and test files.
        Files.copy(mnist().resolve("t10k-images-idx3-ubyte"), mine.resolve("train-images-idx3-ubyte"));
        Files.copy(mnist().resolve("t10k-labels-idx1-ubyte"), mine.resolve("train-labels-idx1-ubyte"));
        Files.copy(mnist().resolve("t10k-images-idx3-ubyte"), mine.resolve("t10k-images-idx3-ubyte"));
        Files.copy(mnist().resolve("t10k-labels-idx1-ubyte"), mine.resolve("t10k-labels-idx1-ubyte"));
        TaskData t = LocalData.load("my_digits", data);
        assertEquals(10, t.numClasses(), "classes = largest label + 1");
        assertEquals(500, t.validation().size(), "validation = first 5% of train");
        assertEquals(9500, t.train().size());
        assertEquals(10000, t.test().size());
        TaskData derived = LocalData.load("my_digits/labels:0-1", data);
        assertEquals(2, derived.numClasses());
    }

    @Test
    void unknownNameExplainsHowToAddOwnData(@TempDir Path data) {
        DatasetException e = assertThrows(DatasetException.class, () -> LocalData.load("my_digits", data));
        assertTrue(e.getMessage().contains("put your own under data_dir as my_digits/"), e.getMessage());
        assertTrue(e.getMessage().contains("mnist, fashion_mnist"), e.getMessage());
    }
}
