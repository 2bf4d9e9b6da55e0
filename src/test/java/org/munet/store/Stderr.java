package org.munet.store;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.function.Supplier;

/** Captures what code under test prints to stderr (the lock's takeover warnings). */
final class Stderr {

    private Stderr() {}

    /** Runs {@code action} and appends what it printed to stderr to {@code err}; returns its result. */
    static <T> T capturing(StringBuilder err, Supplier<T> action) {
        PrintStream saved = System.err;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buffer, true, UTF_8));
        try {
            return action.get();
        } finally {
            System.setErr(saved);
            err.append(buffer.toString(UTF_8));
        }
    }
}
