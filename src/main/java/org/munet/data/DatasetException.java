package org.munet.data;

/**
 * Every error of the data package: a missing or malformed dataset file, a bad task name, an
 * inconsistent image set, invalid data hyperparameters.
 *
 * <p>Messages name the file or task at fault and, where there is one, the fix, because these
 * errors surface on a cluster node long after the command line was typed.
 */
public class DatasetException extends RuntimeException {

    /** @param message what is wrong, naming the file or task, and the fix */
    public DatasetException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong, naming the file or task, and the fix
     * @param cause the underlying error (I/O, parse)
     */
    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }
}
