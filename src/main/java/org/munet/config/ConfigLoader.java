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

    /** A loaded config and the checksum of its bytes (recorded in the state it creates). */
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
            return new Loaded(c, sha256(bytes), bytes);
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

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
