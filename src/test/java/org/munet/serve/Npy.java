package org.munet.serve;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The few .npy files the parity test exchanges with Python: little-endian float32 or uint8, C order. */
final class Npy {

    /** An array read back: its shape and float values. */
    record Floats(long[] shape, float[] values) {}

    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    private Npy() {}

    static void writeFloats(Path file, float[] values, long... shape) throws IOException {
        ByteBuffer data = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            data.putFloat(v);
        }
        write(file, "<f4", data.array(), shape);
    }

    static void writeBytes(Path file, byte[] values, long... shape) throws IOException {
        write(file, "|u1", values, shape);
    }

    /** Format version 1.0: magic, version, header length (u16), a dict padded to 64 bytes. */
    private static void write(Path file, String descr, byte[] data, long... shape) throws IOException {
        String dims = String.join(", ", Arrays.stream(shape).mapToObj(Long::toString).toList())
                + (shape.length == 1 ? "," : "");
        StringBuilder header = new StringBuilder("{'descr': '" + descr + "', 'fortran_order': False, 'shape': ("
                + dims + "), }");
        while ((10 + header.length() + 1) % 64 != 0) {
            header.append(' ');
        }
        header.append('\n');
        byte[] h = header.toString().getBytes(StandardCharsets.US_ASCII);
        ByteBuffer out = ByteBuffer.allocate(10 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        out.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        out.putShort((short) h.length).put(h).put(data);
        Files.write(file, out.array());
    }

    /** Reads a little-endian float32 array as numpy's save writes it (version 1.0 or 2.0). */
    static Floats readFloats(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 10 || (bytes[0] & 0xff) != 0x93 || !new String(bytes, 1, 5, StandardCharsets.US_ASCII)
                .equals("NUMPY")) {
            throw new IOException(file + " is not a .npy file");
        }
        int major = bytes[6];
        int headerLength = major == 1 ? Short.toUnsignedInt(in.getShort(8)) : in.getInt(8);
        int start = (major == 1 ? 10 : 12) + headerLength;
        String header = new String(bytes, major == 1 ? 10 : 12, headerLength, StandardCharsets.US_ASCII);
        if (!header.contains("'descr': '<f4'") || header.contains("'fortran_order': True")) {
            throw new IOException(file + ": expected C-order little-endian float32, header " + header.trim());
        }
        Matcher m = SHAPE.matcher(header);
        if (!m.find()) {
            throw new IOException(file + ": no shape in header " + header.trim());
        }
        long[] shape = Arrays.stream(m.group(1).split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .mapToLong(Long::parseLong).toArray();
        float[] values = new float[(bytes.length - start) / 4];
        in.position(start);
        in.asFloatBuffer().get(values);
        return new Floats(shape, values);
    }
}
