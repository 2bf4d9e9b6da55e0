package org.munet.spark;

/** Spark cannot start in this JVM as configured; the message says how to start it instead. */
public final class SparkSetupException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public SparkSetupException(String message) {
        super(message);
    }
}
