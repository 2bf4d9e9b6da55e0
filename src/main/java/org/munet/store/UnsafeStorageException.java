package org.munet.store;

/**
 * A writer was refused because the file system holding the state lacks a guarantee that the commit
 * or the single-writer lock relies on ({@link StorageSemantics}). The message names the file system,
 * the missing guarantee and the fix.
 */
public final class UnsafeStorageException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    UnsafeStorageException(String message) {
        super(message);
    }
}
