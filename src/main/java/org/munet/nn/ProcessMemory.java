package org.munet.nn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Resident memory of this process as the kernel counts it. Native tensors are invisible to the Java
 * heap, so leaks show here and only here (platform-notes, trap 1).
 */
public final class ProcessMemory {

    private static final Path STATUS = Path.of("/proc/self/status");

    private ProcessMemory() {}

    /** Current resident set size in bytes, or -1 where /proc is not available. */
    public static long residentBytes() {
        return field("VmRSS:");
    }

    /** Peak resident set size in bytes, or -1 where /proc is not available. */
    public static long peakResidentBytes() {
        return field("VmHWM:");
    }

    private static long field(String name) {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith(name)) {
                    String[] parts = line.substring(name.length()).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
