package org.munet.nn;

/** Training diverged: the loss or the gradient norm became NaN or infinite. */
public final class NonFiniteLossException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public NonFiniteLossException(String message) {
        super(message);
    }
}
