package org.munet.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.munet.system.TaskSource;

class ImageFolderReaderTest {

    @TempDir
    Path tmp;

    private final ImageFolderReader reader = new ImageFolderReader();

    private static TaskSource source(Path dir, Integer numClasses, List<String> classes, boolean drop) {
        return new TaskSource(dir.getFileName().toString(), dir.toUri().toString(), TaskSource.Format.IMAGE_FOLDER,
            null, null, null, Map.of(), numClasses, classes, drop);
    }

    private static TaskSource source(Path dir) {
        return source(dir, null, List.of(), false);
    }

    private SourceData read(TaskSource s) {
        return reader.read(s, new Configuration());
    }

    private static void write(Path file, BufferedImage image) throws IOException {
        Files.createDirectories(file.getParent());
        String name = file.getFileName().toString();
        String format = name.substring(name.lastIndexOf('.') + 1);
        assertTrue(ImageIO.write(image, format.equals("jpg") ? "jpeg" : format, file.toFile()), "wrote " + file);
    }

    /** The message of the DatasetException the read throws. */
    private String failure(TaskSource s) {
        return assertThrows(DatasetException.class, () -> read(s)).getMessage();
    }

    /** Runs the read, returning what it printed on System.err. */
    private static String stderrOf(Runnable r) {
        PrintStream saved = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setErr(saved);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    /** An MNIST-like folder: gray 28x28 PNGs, {@code perClass} per class and split. */
    private Path mnistLike(String name, List<String> classes, int perClass, Map<String, List<byte[]>> written)
            throws IOException {
        Path root = tmp.resolve(name);
        long seed = 0;
        for (String split : List.of("train", "test")) {
            List<byte[]> pixels = new ArrayList<>();
            for (String c : classes) {
                for (int i = 0; i < perClass; i++) {
                    BufferedImage image = ImageDecoderTest.gray(28, 28, seed++);
                    write(root.resolve(split).resolve(c).resolve("img" + i + ".png"), image);
                    pixels.add(ImageDecoderTest.grayPixels(image));
                }
            }
            written.put(split, pixels);
        }
        return root;
    }

    @Test
    void grayPngFolderGivesExactlyThePixelsWritten() throws IOException {
        Map<String, List<byte[]>> written = new java.util.HashMap<>();
        Path root = mnistLike("digits", List.of("zero", "one", "two"), 3, written);
        SourceData data = read(source(root));
        assertEquals(List.of("one", "two", "zero"), data.classNames());
        assertNull(data.validation());
        for (String split : List.of("train", "test")) {
            ImageSet set = split.equals("train") ? data.train() : data.test();
            assertEquals("digits/" + split, set.name());
            assertEquals(9, set.size());
            assertEquals(1, set.channels());
            assertEquals(28, set.height());
            assertEquals(28, set.width());
            assertEquals(3, set.numClasses());
            // Sorted by label (one, two, zero), then file name; written in the order zero, one, two.
            int[] writtenClass = {1, 2, 0};
            assertArrayEquals(new int[] {0, 0, 0, 1, 1, 1, 2, 2, 2}, set.labels());
            for (int label = 0; label < 3; label++) {
                for (int i = 0; i < 3; i++) {
                    byte[] expected = written.get(split).get(writtenClass[label] * 3 + i);
                    byte[] got = Arrays.copyOfRange(set.pixels(), (label * 3 + i) * 784, (label * 3 + i + 1) * 784);
                    assertArrayEquals(expected, got, split + " label " + label + " image " + i);
                }
            }
        }
    }

    @Test
    void filesAreOrderedByNameAndTheResultDoesNotDependOnThreads() throws IOException {
        Path root = tmp.resolve("many");
        List<String> names = List.of("img10.png", "img2.png", "IMG3.PNG", "a.png", "img1.png");
        List<String> sorted = names.stream().sorted().toList(); // String order: IMG3.PNG a.png img1 img10 img2
        for (String split : List.of("train", "test")) {
            for (String c : List.of("x", "y")) {
                for (int i = 0; i < names.size(); i++) {
                    BufferedImage image = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
                    // Each image's value encodes its class and name.
                    image.getRaster().setSample(0, 0, 0, (c.equals("x") ? 0 : 100) + i);
                    write(root.resolve(split).resolve(c).resolve(names.get(i)), image);
                }
            }
        }
        SourceData first = read(source(root));
        for (int label = 0; label < 2; label++) {
            for (int j = 0; j < sorted.size(); j++) {
                int i = label * sorted.size() + j;
                assertEquals(label, first.train().labels()[i]);
                assertEquals(label * 100 + names.indexOf(sorted.get(j)), first.train().pixels()[i * 16] & 0xff,
                    "image " + i + " should be " + sorted.get(j));
            }
        }
        for (int run = 0; run < 3; run++) {
            SourceData again = read(source(root));
            assertArrayEquals(first.train().pixels(), again.train().pixels());
            assertArrayEquals(first.test().pixels(), again.test().pixels());
        }
    }

    @Test
    void validationFolderIsReadWhenPresent() throws IOException {
        Path root = tmp.resolve("withval");
        for (String split : List.of("train", "validation", "test")) {
            for (String c : List.of("a", "b")) {
                write(root.resolve(split).resolve(c).resolve("1.png"), ImageDecoderTest.gray(5, 5, split.hashCode()));
            }
        }
        SourceData data = read(source(root));
        assertNotNull(data.validation());
        assertEquals("withval/validation", data.validation().name());
        assertEquals(2, data.validation().size());
        assertArrayEquals(ImageDecoderTest.grayPixels(ImageDecoderTest.gray(5, 5, "validation".hashCode())),
            Arrays.copyOf(data.validation().pixels(), 25));
    }

    @Test
    void colourImagesInEveryFormatAreRgbAndAlphaIsDropped() throws IOException {
        Path root = tmp.resolve("pets");
        BufferedImage png = ImageDecoderTest.colour(6, 4, 1, BufferedImage.TYPE_INT_RGB);
        BufferedImage rgba = ImageDecoderTest.colour(6, 4, 2, BufferedImage.TYPE_INT_ARGB);
        BufferedImage bmp = ImageDecoderTest.colour(6, 4, 3, BufferedImage.TYPE_INT_RGB);
        write(root.resolve("train/cat/a.png"), png);
        write(root.resolve("train/cat/b.png"), rgba);
        write(root.resolve("train/dog/c.bmp"), bmp);
        write(root.resolve("train/dog/d.jpg"), ImageDecoderTest.colour(6, 4, 4, BufferedImage.TYPE_INT_RGB));
        write(root.resolve("test/cat/e.gif"), ImageDecoderTest.gray(6, 4, 5));
        write(root.resolve("test/dog/f.JPEG"), ImageDecoderTest.gray(6, 4, 6));
        SourceData data = read(source(root));
        ImageSet train = data.train();
        assertEquals(3, train.channels());
        assertEquals(4, train.size());
        assertArrayEquals(ImageDecoderTest.rgbPixels(png), Arrays.copyOfRange(train.pixels(), 0, 72));
        assertArrayEquals(ImageDecoderTest.rgbPixels(rgba), Arrays.copyOfRange(train.pixels(), 72, 144));
        assertArrayEquals(ImageDecoderTest.rgbPixels(bmp), Arrays.copyOfRange(train.pixels(), 144, 216));
        // The test split is all gray, but the task is in colour: 3 channels, the gray tiled.
        ImageSet test = data.test();
        assertEquals(3, test.channels());
        byte[] gif = ImageDecoderTest.grayPixels(ImageDecoderTest.gray(6, 4, 5));
        for (int c = 0; c < 3; c++) {
            assertArrayEquals(gif, Arrays.copyOfRange(test.pixels(), c * 24, (c + 1) * 24), "channel " + c);
        }
    }

    @Test
    void mixedGrayAndColourInOneSplitGivesThreeChannels() throws IOException {
        Path root = tmp.resolve("mixed");
        BufferedImage gray = ImageDecoderTest.gray(3, 3, 7);
        BufferedImage colour = ImageDecoderTest.colour(3, 3, 8, BufferedImage.TYPE_INT_RGB);
        write(root.resolve("train/a/1.png"), gray);
        write(root.resolve("train/b/1.png"), colour);
        write(root.resolve("test/a/1.png"), gray);
        write(root.resolve("test/b/1.png"), gray);
        SourceData data = read(source(root));
        assertEquals(3, data.train().channels());
        assertEquals(3, data.test().channels());
        byte[] g = ImageDecoderTest.grayPixels(gray);
        byte[] tiled = new byte[27];
        for (int c = 0; c < 3; c++) {
            System.arraycopy(g, 0, tiled, c * 9, 9);
        }
        assertArrayEquals(tiled, Arrays.copyOfRange(data.train().pixels(), 0, 27));
        assertArrayEquals(ImageDecoderTest.rgbPixels(colour), Arrays.copyOfRange(data.train().pixels(), 27, 54));
    }

    @Test
    void mixedSizesAreStoredAtTheTasksModalSize() throws IOException {
        Path root = tmp.resolve("sizes");
        // 8x6 (w x h) three times, 10x10 twice (larger but rarer), 3x2 once in the test split.
        BufferedImage odd = ImageDecoderTest.gray(10, 10, 1);
        BufferedImage small = ImageDecoderTest.gray(3, 2, 2);
        write(root.resolve("train/a/1.png"), ImageDecoderTest.gray(8, 6, 3));
        write(root.resolve("train/a/2.png"), odd);
        write(root.resolve("train/b/1.png"), ImageDecoderTest.gray(8, 6, 4));
        write(root.resolve("train/b/2.png"), ImageDecoderTest.gray(10, 10, 5));
        write(root.resolve("test/a/1.png"), small);
        write(root.resolve("test/b/1.png"), ImageDecoderTest.gray(8, 6, 6));
        String err = stderrOf(() -> {
            SourceData data = read(source(root));
            for (ImageSet s : List.of(data.train(), data.test())) {
                assertEquals(6, s.height(), s.name());
                assertEquals(8, s.width(), s.name());
            }
            assertArrayEquals(ImageSetBuilder.resize(ImageDecoderTest.grayPixels(odd), 1, 10, 10, 6, 8),
                Arrays.copyOfRange(data.train().pixels(), 48, 96));
            assertArrayEquals(ImageSetBuilder.resize(ImageDecoderTest.grayPixels(small), 1, 2, 3, 6, 8),
                Arrays.copyOfRange(data.test().pixels(), 0, 48));
        });
        assertTrue(err.contains("munet: sizes: resized 3 of 6 images to the task's most common size 8x6"), err);
    }

    @Test
    void classNamesAreSortedInStringOrder() throws IOException {
        Path root = tmp.resolve("order");
        List<String> classes = List.of("b", "a", "C", "10", "9");
        for (String split : List.of("train", "test")) {
            for (int i = 0; i < classes.size(); i++) {
                BufferedImage image = new BufferedImage(2, 2, BufferedImage.TYPE_BYTE_GRAY);
                image.getRaster().setSample(0, 0, 0, i);
                write(root.resolve(split).resolve(classes.get(i)).resolve("x.png"), image);
            }
        }
        SourceData data = read(source(root));
        assertEquals(List.of("10", "9", "C", "a", "b"), data.classNames());
        for (int label = 0; label < 5; label++) {
            assertEquals(label, data.train().labels()[label]);
            assertEquals(classes.indexOf(data.classNames().get(label)), data.train().pixels()[label * 4]);
        }
    }

    @Test
    void declaredClassesSetTheLabelOrder() throws IOException {
        Path root = mnistLike("declared", List.of("cat", "dog"), 1, new java.util.HashMap<>());
        SourceData data = read(source(root, 2, List.of("dog", "cat"), false));
        assertEquals(List.of("dog", "cat"), data.classNames());
        SourceData sorted = read(source(root));
        // Label 0 is dog: the first image is the one that is label 1 in folder order.
        assertArrayEquals(Arrays.copyOfRange(sorted.train().pixels(), 784, 1568),
            Arrays.copyOfRange(data.train().pixels(), 0, 784));
        assertArrayEquals(new int[] {0, 1}, data.train().labels());
    }

    @Test
    void declaredClassesMustMatchTheFolders() throws IOException {
        Path root = mnistLike("pets", List.of("cat", "dog", "eel"), 1, new java.util.HashMap<>());
        String m = failure(source(root, null, List.of("cat", "dog", "fox"), false));
        assertTrue(m.contains("no folder for [fox]") && m.contains("undeclared folders [eel]"), m);
        assertTrue(m.contains("/pets/train [cat, dog, eel]"), m);
        String n = failure(source(root, 4, List.of(), false));
        assertTrue(n.startsWith("pets: declared 4 classes but") && n.contains("3 class folders [cat, dog, eel]"), n);
        String dup = failure(source(root, null, List.of("cat", "dog", "eel", "cat"), false));
        assertTrue(dup.contains("[cat] more than once"), dup);
    }

    @Test
    void splitsMustAgreeOnTheClassList() throws IOException {
        Path root = mnistLike("pets", List.of("cat", "dog", "eel"), 1, new java.util.HashMap<>());
        Files.move(root.resolve("test/eel"), root.resolve("test/emu"));
        String m = failure(source(root));
        assertTrue(m.contains("train/ and test/") && m.contains("disagree on the class list"), m);
        assertTrue(m.contains("test/ lacks [eel]") && m.contains("test/ has [emu]"), m);
        Files.move(root.resolve("test/emu"), root.resolve("test/eel"));
        write(root.resolve("validation/cat/1.png"), ImageDecoderTest.gray(28, 28, 1));
        String v = failure(source(root));
        assertTrue(v.contains("train/ and validation/") && v.contains("validation/ lacks [dog, eel]"), v);
    }

    @Test
    void missingSplitFoldersAreNamed() throws IOException {
        Path root = mnistLike("pets", List.of("cat", "dog"), 1, new java.util.HashMap<>());
        Path test = root.resolve("test");
        Files.move(test, tmp.resolve("moved-test"));
        String m = failure(source(root));
        assertTrue(m.startsWith("pets: no test/ folder in "), m);
        assertTrue(m.contains("test/<class>/*"), m);
        Files.move(tmp.resolve("moved-test"), test);
        Files.move(root.resolve("train"), tmp.resolve("moved-train"));
        Files.writeString(root.resolve("train"), "not a folder");
        String f = failure(source(root));
        assertTrue(f.contains("/pets/train is a file, not a folder"), f);
        String none = failure(source(tmp.resolve("nothing-here")));
        assertTrue(none.startsWith("nothing-here: no train/ folder in "), none);
    }

    @Test
    void emptyClassFoldersAndSingleClassesAreErrors() throws IOException {
        Path root = mnistLike("pets", List.of("cat", "dog"), 1, new java.util.HashMap<>());
        Files.createDirectories(root.resolve("train/eel"));
        Files.createDirectories(root.resolve("test/eel"));
        Files.writeString(root.resolve("train/eel/readme.txt"), "no images here");
        String m = failure(source(root));
        assertTrue(m.contains("class folder ") && m.contains("/pets/train/eel holds no images"), m);

        Path one = tmp.resolve("one");
        write(one.resolve("train/cat/1.png"), ImageDecoderTest.gray(4, 4, 1));
        write(one.resolve("test/cat/1.png"), ImageDecoderTest.gray(4, 4, 2));
        String s = failure(source(one));
        assertTrue(s.contains("/one/train has 1 class folder (cat)") && s.contains("at least two"), s);
        Path zero = tmp.resolve("zero");
        Files.createDirectories(zero.resolve("train"));
        Files.createDirectories(zero.resolve("test"));
        assertTrue(failure(source(zero)).contains("has 0 class folders"));
    }

    @Test
    void corruptImagesFailTheTaskNamingTheFileUnlessDropped() throws IOException {
        Path root = mnistLike("pets", List.of("cat", "dog"), 3, new java.util.HashMap<>());
        Path bad = root.resolve("train/dog/img1.png");
        byte[] png = Files.readAllBytes(bad);
        Files.write(bad, Arrays.copyOf(png, png.length / 2));
        String m = failure(source(root));
        assertTrue(m.startsWith("pets: " + bad.toUri().toString().replace("file:///", "file:/")), m);
        assertTrue(m.contains("corrupt or truncated") && m.contains("corrupt_images: drop"), m);

        // A truncated JPEG, which ImageIO alone would return half gray.
        Path jpeg = root.resolve("test/cat/img9.jpg");
        write(jpeg, ImageDecoderTest.colour(64, 64, 3, BufferedImage.TYPE_INT_RGB));
        byte[] j = Files.readAllBytes(jpeg);
        Files.write(jpeg, Arrays.copyOf(j, j.length * 2 / 3));
        Files.write(bad, png);
        String mj = failure(source(root));
        assertTrue(mj.contains("img9.jpg: corrupt or truncated"), mj);

        Files.write(bad, Arrays.copyOf(png, png.length / 2));
        Files.writeString(root.resolve("test/dog/fake.png"), "not a png");
        SourceData[] kept = new SourceData[1];
        String err = stderrOf(() -> kept[0] = read(source(root, null, List.of(), true)));
        assertTrue(err.contains("munet: pets: dropped 3 corrupt images of 14 (corrupt_images: drop)"), err);
        assertEquals(5, kept[0].train().size());
        assertArrayEquals(new int[] {0, 0, 0, 1, 1}, kept[0].train().labels());
        assertEquals(6, kept[0].test().size());
        assertEquals(1, kept[0].test().channels(), "the dropped JPEG was the only colour image");
    }

    @Test
    void droppingEveryImageOfAClassIsAnError() throws IOException {
        Path root = mnistLike("pets", List.of("cat", "dog"), 1, new java.util.HashMap<>());
        Files.writeString(root.resolve("test/dog/img0.png"), "garbage");
        String m = stderrOf(() -> {
            String msg = failure(source(root, null, List.of(), true));
            assertTrue(msg.contains("/pets/test/dog has no decodable image left"), msg);
        });
        assertTrue(m.contains("dropped 1 corrupt image of 4"), m);
    }

    @Test
    void nonImageFilesAreIgnoredAndCountedInOneWarning() throws IOException {
        Map<String, List<byte[]>> written = new java.util.HashMap<>();
        Path root = mnistLike("pets", List.of("cat", "dog"), 2, written);
        Files.writeString(root.resolve("train/cat/notes.txt"), "notes");
        Files.writeString(root.resolve("train/cat/.DS_Store"), "junk");
        Files.writeString(root.resolve("train/dog/._img0.png"), "macOS resource fork, not a PNG");
        Files.writeString(root.resolve("test/dog/Thumbs.db"), "junk");
        Files.writeString(root.resolve("train/README"), "beside the class folders");
        Files.createDirectories(root.resolve("train/dog/nested"));
        Files.createDirectories(root.resolve("train/.ipynb_checkpoints"));
        Files.createDirectories(root.resolve("test/.ipynb_checkpoints"));
        Supplier<SourceData> r = () -> read(source(root));
        SourceData[] data = new SourceData[1];
        String err = stderrOf(() -> data[0] = r.get());
        String[] lines = err.strip().split("\n");
        assertEquals(1, lines.length, err);
        assertTrue(lines[0].startsWith("munet: pets: ignored 8 non-image files (e.g. file:/"), err);
        assertEquals(List.of("cat", "dog"), data[0].classNames());
        assertEquals(4, data[0].train().size());
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(written.get("train").get(i),
                Arrays.copyOfRange(data[0].train().pixels(), i * 784, (i + 1) * 784));
        }
        // Nothing ignored: nothing printed.
        Path clean = mnistLike("clean", List.of("a", "b"), 1, new java.util.HashMap<>());
        assertEquals("", stderrOf(() -> read(source(clean))));
    }

    @Test
    void namesHadoopCannotHoldAreAnErrorNamingTheFolder() throws IOException {
        Path root = mnistLike("pets", List.of("cat", "dog"), 1, new java.util.HashMap<>());
        write(root.resolve("train/cat/12:30.png"), ImageDecoderTest.gray(28, 28, 1));
        String m = failure(source(root));
        assertTrue(m.startsWith("pets: cannot ") && m.contains("/pets/train/cat") && m.contains("':'"), m);
    }

    @Test
    void imageNamesAreRecognisedByExtensionInAnyCase() {
        for (String yes : List.of("a.png", "b.JPG", "c.jpeg", "d.Bmp", "e.gif", "x.y.PNG")) {
            assertTrue(ImageFolderReader.isImageName(yes), yes);
        }
        for (String no : List.of("a.txt", ".png", "._a.png", "Thumbs.db", "png", "a.png.bak", "a.tif")) {
            assertTrue(!ImageFolderReader.isImageName(no), no);
        }
    }
}
