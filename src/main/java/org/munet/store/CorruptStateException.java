package org.munet.store;

/**
 * A state file that should be there and intact is missing or does not match its recorded checksum.
 *
 * <p>Unchecked because no caller can repair a state in the middle of a run: the run stops, and the
 * message (naming the file, the expected and the actual checksum) tells the operator what to
 * restore or which version to roll back to.
 */
public class CorruptStateException extends RuntimeException {

    /** @param message what is wrong, naming the file and both checksums */
    public CorruptStateException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong, naming the file and both checksums
     * @param cause the underlying error (a file-system checksum error, for instance)
     */
    public CorruptStateException(String message, Throwable cause) {
        super(message, cause);
    }
}
