package org.munet.data;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Writes a built-in dataset as an image folder of PNG files ({@code train/<class>/*.png},
 * {@code test/<class>/*.png}; validation is left to the 5 % rule), for benchmarks that need a
 * large folder task. Usage: {@code ExportImageFolder DATA_DIR TASK OUT_DIR}.
 */
public final class ExportImageFolder {

    private ExportImageFolder() {}

    public static void main(String[] args) throws IOException {
        TaskData data = LocalData.load(args[1], Path.of(args[0]));
        Path out = Path.of(args[2]);
        // Official train = validation + train (the 5 % rule cuts it again when read).
        write(data.validation(), out.resolve("train"), 0);
        write(data.train(), out.resolve("train"), data.validation().size());
        write(data.test(), out.resolve("test"), 0);
        System.out.println("wrote " + (data.validation().size() + data.train().size()) + " train and "
                + data.test().size() + " test images under " + out);
    }

    private static void write(ImageSet set, Path split, int firstIndex) throws IOException {
        int h = set.height();
        int w = set.width();
        for (int i = 0; i < set.size(); i++) {
            Path dir = Files.createDirectories(split.resolve(Integer.toString(set.labels()[i])));
            BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
            byte[] raster = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
            System.arraycopy(set.pixels(), i * h * w, raster, 0, h * w);
            ImageIO.write(image, "png", dir.resolve(String.format("%05d.png", firstIndex + i)).toFile());
        }
    }
}
