package org.munet.data;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/**
 * Benchmark (not a test): single-thread decode throughput of {@link ImageDecoder} for PNG and
 * JPEG (the JDK's writer, default quality) at 28x28 and 224x224, in colour, plus 28x28 gray PNG
 * (MNIST-like). Images are synthetic but not trivial to compress: a gradient, random filled
 * shapes and a little noise. Each case is warmed up, then timed over whole passes for at least
 * the given seconds, on the calling thread only.
 *
 * <p>Usage: {@code DecodeBench [IMAGES_PER_CASE] [SECONDS_PER_CASE]} (defaults 256 and 3); run by
 * {@code deploy/bench/decode-throughput.sh}.
 */
public final class DecodeBench {

    private DecodeBench() {}

    public static void main(String[] args) throws IOException {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 256;
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 3;
        System.out.printf(Locale.ROOT, "decode throughput, 1 thread, %d images per case, >= %.1f s timed%n", n, seconds);
        System.out.printf(Locale.ROOT, "%-6s %-6s %-8s %10s %12s%n", "format", "colour", "size", "images/s",
            "bytes/image");
        record Case(String format, boolean colour, int size) {}
        List<Case> cases = List.of(new Case("png", false, 28), new Case("png", true, 28), new Case("jpeg", true, 28),
            new Case("png", true, 224), new Case("jpeg", true, 224));
        long sink = 0;
        for (Case c : cases) {
            List<byte[]> encoded = new ArrayList<>();
            long bytes = 0;
            SplittableRandom rng = new SplittableRandom(c.size() * 31L + c.format().hashCode() + (c.colour() ? 1 : 0));
            for (int i = 0; i < n; i++) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                if (!ImageIO.write(render(c.size(), c.colour(), rng), c.format(), out)) {
                    throw new IllegalStateException("no " + c.format() + " writer");
                }
                encoded.add(out.toByteArray());
                bytes += out.size();
            }
            // Warm-up: at least a third of the timed duration, at least two passes.
            long warmEnd = System.nanoTime() + (long) (seconds / 3 * 1e9);
            for (int pass = 0; pass < 2 || System.nanoTime() < warmEnd; pass++) {
                sink += decodeAll(encoded);
            }
            long start = System.nanoTime();
            long decoded = 0;
            long end;
            do {
                sink += decodeAll(encoded);
                decoded += encoded.size();
                end = System.nanoTime();
            } while (end - start < seconds * 1e9);
            double rate = decoded / ((end - start) / 1e9);
            System.out.printf(Locale.ROOT, "%-6s %-6s %-8s %10.0f %12d%n", c.format(), c.colour() ? "rgb" : "gray",
                c.size() + "x" + c.size(), rate, bytes / n);
        }
        if (sink == 42) {
            System.out.println(); // keeps the decoded results observable
        }
    }

    private static long decodeAll(List<byte[]> encoded) {
        long sum = 0;
        for (byte[] e : encoded) {
            DecodedImage d = ImageDecoder.decode(e, "bench");
            sum += d.pixels()[d.pixels().length / 2];
        }
        return sum;
    }

    /** A gradient, 3 to 8 random filled rectangles and ovals, and noise of +-12. */
    static BufferedImage render(int size, boolean colour, SplittableRandom rng) {
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setPaint(new java.awt.GradientPaint(0, 0, randomColour(rng, colour), size, size, randomColour(rng, colour)));
        g.fillRect(0, 0, size, size);
        int shapes = 3 + rng.nextInt(6);
        for (int s = 0; s < shapes; s++) {
            g.setColor(randomColour(rng, colour));
            int x = rng.nextInt(size);
            int y = rng.nextInt(size);
            int w = 1 + rng.nextInt(size / 2);
            int h = 1 + rng.nextInt(size / 2);
            if (rng.nextBoolean()) {
                g.fillRect(x, y, w, h);
            } else {
                g.fillOval(x, y, w, h);
            }
        }
        g.dispose();
        BufferedImage out = colour ? image : new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int rgb = image.getRGB(x, y);
                int r = noisy((rgb >> 16) & 0xff, rng);
                if (colour) {
                    out.setRGB(x, y, r << 16 | noisy((rgb >> 8) & 0xff, rng) << 8 | noisy(rgb & 0xff, rng));
                } else {
                    out.getRaster().setSample(x, y, 0, r);
                }
            }
        }
        return out;
    }

    private static Color randomColour(SplittableRandom rng, boolean colour) {
        int v = rng.nextInt(256);
        return colour ? new Color(rng.nextInt(256), rng.nextInt(256), rng.nextInt(256)) : new Color(v, v, v);
    }

    private static int noisy(int v, SplittableRandom rng) {
        return Math.max(0, Math.min(255, v + rng.nextInt(25) - 12));
    }
}
