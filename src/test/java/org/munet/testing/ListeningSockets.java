package org.munet.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The TCP sockets a process listens on, from Linux's /proc (the process's socket descriptors
 * matched with /proc/net/tcp and tcp6 by inode): to check that a server binds loopback only.
 */
public final class ListeningSockets {

    private static final String LISTEN = "0A";

    private ListeningSockets() {}

    /** One listening socket: its local address as written by {@link #toString()}, e.g. 127.0.0.1:7077. */
    public record Socket(String address, int port, boolean loopback) {
        @Override
        public String toString() {
            return address + ":" + port;
        }
    }

    /** Every TCP socket {@code pid} listens on; empty if the process is gone. */
    public static List<Socket> of(long pid) throws IOException {
        Map<String, Socket> listening = new HashMap<>();
        read(Path.of("/proc/net/tcp"), false, listening);
        read(Path.of("/proc/net/tcp6"), true, listening);
        List<Socket> out = new ArrayList<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException e) {
                    continue; // closed meanwhile
                }
                if (target.startsWith("socket:[")) {
                    Socket s = listening.get(target.substring("socket:[".length(), target.length() - 1));
                    if (s != null) {
                        out.add(s);
                    }
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        }
        return out;
    }

    /** The sockets of {@code pid} that listen on anything but loopback. */
    public static List<Socket> nonLoopback(long pid) throws IOException {
        return of(pid).stream().filter(s -> !s.loopback()).toList();
    }

    private static void read(Path table, boolean ipv6, Map<String, Socket> into) throws IOException {
        if (!Files.exists(table)) {
            return;
        }
        List<String> lines = Files.readAllLines(table, StandardCharsets.US_ASCII);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 10 || !f[3].equals(LISTEN)) {
                continue;
            }
            String[] local = f[1].split(":");
            int port = Integer.parseInt(local[1], 16);
            into.put(f[9], ipv6 ? ipv6(local[0], port) : ipv4(local[0], port));
        }
    }

    /** /proc writes an IPv4 address as one 32-bit word in host (little-endian) byte order. */
    private static Socket ipv4(String hex, int port) {
        int[] b = bytes(hex);
        String address = b[3] + "." + b[2] + "." + b[1] + "." + b[0];
        return new Socket(address, port, b[3] == 127);
    }

    /** IPv6: four 32-bit words, each in host byte order. */
    private static Socket ipv6(String hex, int port) {
        int[] w = bytes(hex);
        int[] b = new int[16];
        for (int word = 0; word < 4; word++) {
            for (int i = 0; i < 4; i++) {
                b[word * 4 + i] = w[word * 4 + 3 - i];
            }
        }
        StringBuilder address = new StringBuilder();
        for (int i = 0; i < 16; i += 2) {
            address.append(i == 0 ? "" : ":").append(String.format(Locale.ROOT, "%x", (b[i] << 8) | b[i + 1]));
        }
        boolean zeroPrefix10 = true;
        for (int i = 0; i < 10; i++) {
            zeroPrefix10 &= b[i] == 0;
        }
        boolean loopback = zeroPrefix10 && b[10] == 0 && b[11] == 0 && b[12] == 0 && b[13] == 0 && b[14] == 0
                && b[15] == 1; // ::1
        boolean mappedLoopback = zeroPrefix10 && b[10] == 0xff && b[11] == 0xff && b[12] == 127; // ::ffff:127.x
        return new Socket("[" + address + "]", port, loopback || mappedLoopback);
    }

    private static int[] bytes(String hex) {
        int[] out = new int[hex.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }
}
