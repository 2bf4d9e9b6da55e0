package org.munet.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Reads an experiment YAML; unknown keys and wrong types are errors that name the key. */
public final class ConfigLoader {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
            .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true);

    private ConfigLoader() {}

    /**
     * A loaded config and its identity checksum, recorded in the state it creates: the SHA-256 of its
     * bytes without the {@code state} section ({@link #identityBytes}).
     */
    public record Loaded(EvolutionConfig config, String sha256, byte[] bytes) {}

    public static Loaded load(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read config " + file + ": " + e.getMessage(), e);
        }
        return parse(bytes, file.toString());
    }

    public static Loaded parse(byte[] bytes, String source) {
        try {
            EvolutionConfig c = YAML.readValue(bytes, EvolutionConfig.class);
            if (c == null) {
                throw new IllegalArgumentException(source + ": empty config");
            }
            return new Loaded(c, sha256(identityBytes(bytes)), bytes);
        } catch (UnrecognizedPropertyException e) {
            throw new IllegalArgumentException(source + ": unknown key '" + e.getPropertyName() + "' at "
                    + e.getPathReference().replace("org.munet.config.", "") + "; known keys here: "
                    + e.getKnownPropertyIds(), e);
        } catch (ValueInstantiationException e) {
            // A section's constructor refused a value; its message names the key, Jackson's wrapping only the class.
            String message = e.getCause() instanceof IllegalArgumentException bad ? bad.getMessage()
                    : e.getOriginalMessage();
            throw new IllegalArgumentException(source + ": " + message, e);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(source + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }

    /**
     * The bytes a config's identity is the checksum of: all of them, except the top-level
     * {@code state:} block (retention is how a state is kept, not what it is, so it may change between
     * runs of one state) with the blank lines just before it, or just after it when it opens the file.
     * A config without a state block is its own identity bytes, so states created before the section
     * existed keep their identity.
     */
    static byte[] identityBytes(byte[] bytes) {
        String text = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        java.util.List<String> lines = new java.util.ArrayList<>(java.util.Arrays.asList(text.split("\n", -1)));
        int start = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).matches("state\\s*:.*")) {
                start = i;
                break;
            }
        }
        if (start < 0) {
            return bytes;
        }
        int end = start + 1; // exclusive: indented lines, and blank ones followed by more of the block
        for (int i = start + 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith(" ") || line.startsWith("\t")) {
                end = i + 1;
            } else if (!line.isBlank()) {
                break;
            }
        }
        int from = start;
        while (from > 0 && lines.get(from - 1).isBlank()) {
            from--;
        }
        if (from == 0) {
            while (end < lines.size() - 1 && lines.get(end).isBlank()) {
                end++;
            }
        }
        lines.subList(from, end).clear();
        return String.join("\n", lines).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
