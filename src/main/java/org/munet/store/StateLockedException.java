package org.munet.store;

/**
 * Another run holds the state's single-writer lock ({@code <state>/lock}).
 *
 * <p>Two writers on one state would commit conflicting versions, so the second one stops before it
 * writes anything. The message names the holder (pid, host, since when, why) and the manual fix,
 * because the holder may be a run that died on a machine this process cannot inspect.
 */
public class StateLockedException extends RuntimeException {

    /** @param message who holds the lock, and how to clear it if that run is gone */
    public StateLockedException(String message) {
        super(message);
    }

    /**
     * @param message who holds the lock, and how to clear it if that run is gone
     * @param cause the underlying error (an unreadable lock file, for instance)
     */
    public StateLockedException(String message, Throwable cause) {
        super(message, cause);
    }
}
