package org.munet.store;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * SHA-256 in the one spelling the store records and compares: 64 lowercase hex digits.
 *
 * <p>Manifests record each component's checksum so that a component file that was truncated,
 * bit-flipped or replaced is detected when it is read, not after it silently poisoned training.
 */
public final class Sha256 {

    private static final HexFormat HEX = HexFormat.of();

    private Sha256() {}

    /** The lowercase hex SHA-256 of {@code bytes}. */
    public static String hex(byte[] bytes) {
        try {
            return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM lacks SHA-256, which every Java SE JVM must have", e);
        }
    }

    /**
     * Checks that {@code checksum} is a SHA-256 in hex and returns it in lowercase, so that a checksum
     * written in uppercase by another tool still compares equal.
     *
     * @throws IllegalArgumentException naming {@code what} (for instance "component 12") when it is not
     */
    public static String normalize(String checksum, String what) {
        if (checksum == null || checksum.length() != 64 || !checksum.chars().allMatch(Sha256::isHexDigit)) {
            throw new IllegalArgumentException("expected SHA-256 of " + what + " must be 64 hex digits, got "
                    + (checksum == null ? "null" : "\"" + checksum + "\""));
        }
        return checksum.toLowerCase(Locale.ROOT);
    }

    private static boolean isHexDigit(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
