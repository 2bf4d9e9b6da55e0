package org.munet.evolution;

/**
 * Marks the phases of a generation on standard error when the system property
 * {@code munet.trace.phases} is {@code true}: the crash-safety tests kill the process right after a
 * mark to hit each phase (sampling, training, staging, commit). Off by default; costs one property
 * read per mark.
 */
public final class PhaseTrace {

    private PhaseTrace() {}

    public static void mark(String phase) {
        if (Boolean.getBoolean("munet.trace.phases")) {
            System.err.println("munet-phase: " + phase);
            System.err.flush();
        }
    }
}
