package org.munet.nn.checkpoint;

/**
 * A checkpoint that cannot become a root: unreadable, in an unknown naming, or with missing, extra
 * or mis-shaped tensors. An {@link IllegalArgumentException} because it is the user's input to fix
 * (the command line prints it as one line, exit code 2); every message names the file.
 */
public final class CheckpointException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
