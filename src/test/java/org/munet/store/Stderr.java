package org.munet.store;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
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

    /**
     * Runs {@code action} and then waits (polling, up to {@code timeout}) until stderr shows
     * {@code expected}: for what a background thread (the lock's heartbeat) reports; appends all of
     * stderr to {@code err}.
     */
    static void awaiting(StringBuilder err, String expected, Duration timeout, Runnable action)
            throws InterruptedException {
        PrintStream saved = System.err;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buffer, true, UTF_8));
        try {
            action.run();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!buffer.toString(UTF_8).contains(expected) && System.nanoTime() < deadline) {
                Thread.sleep(20); // poll interval
            }
        } finally {
            System.setErr(saved);
            err.append(buffer.toString(UTF_8));
        }
    }
}
