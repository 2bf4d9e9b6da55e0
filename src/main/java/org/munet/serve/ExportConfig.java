package org.munet.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.munet.nn.VitConfig;
import org.munet.system.ModelDims;

/**
 * The {@code config.json} of an export: what the weights are (backbone, adapters, classes), where
 * they came from, how inputs must be preprocessed, and the test figures the state recorded. It is
 * the file a loader reads first, and it is written last, so a directory with a {@code config.json}
 * holds a complete export.
 *
 * @param info the model description (its {@code source} is the state it was exported from)
 * @param weightsSha256 SHA-256 of {@code model.safetensors}, or null (then the reader checks none)
 */
public record ExportConfig(TaskModelInfo info, String weightsSha256) {

    /** The value of {@code format}: tells a munet export from any other config.json. */
    public static final String FORMAT = "munet-vit-export";
    /** Bumped when a reader of an older version could misread the export. */
    public static final int FORMAT_VERSION = 1;
    public static final String CONFIG_FILE = "config.json";
    public static final String WEIGHTS_FILE = "model.safetensors";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The config as written: pretty JSON, fields in a fixed order (documented in the README). */
    public byte[] toJson() {
        VitConfig vit = info.vit();
        ObjectNode o = JSON.createObjectNode();
        o.put("format", FORMAT);
        o.put("format_version", FORMAT_VERSION);
        o.put("architecture", "ViT in timm VisionTransformer layout: pre-LN blocks, class token,"
                + " learned position embedding, residual adapters before their blocks, exact (erf) GELU");
        o.put("task", info.task());
        o.put("source_state", info.source());
        o.put("source_version", info.version());
        o.put("path_id", info.pathId());
        o.put("image_size", vit.imageSize());
        o.put("channels", vit.channels());
        o.put("patch_size", vit.patchSize());
        o.put("hidden_size", vit.hiddenSize());
        o.put("mlp_dim", vit.mlpDim());
        o.put("num_heads", vit.numHeads());
        o.put("num_layers", vit.numLayers());
        ArrayNode adapters = o.putArray("adapter_layers");
        info.adapterLayers().forEach(adapters::add);
        o.put("adapter_dim", info.adapterDim());
        o.put("num_classes", info.numClasses());
        ArrayNode classes = o.putArray("class_names");
        info.classNames().forEach(classes::add);
        // The float munet computes with, printed as the decimal users expect.
        o.put("layer_norm_eps", Double.parseDouble(Float.toString(VitConfig.LAYER_NORM_EPS)));
        o.set("preprocessing", preprocessing());
        if (info.testAccuracy() == null) {
            o.putNull("test_accuracy");
        } else {
            o.put("test_accuracy", info.testAccuracy());
        }
        o.put("test_predictions_sha256", info.testPredictionsSha256());
        o.put("weights", WEIGHTS_FILE);
        o.put("weights_sha256", weightsSha256);
        try {
            return JSON.writeValueAsBytes(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * munet's evaluation preprocessing ({@code org.munet.data.Preprocessor} without training
     * augmentation), spelled out for implementers in other languages.
     */
    private static ObjectNode preprocessing() {
        ObjectNode p = JSON.createObjectNode();
        p.put("input", "uint8 pixels, H x W (grayscale) or H x W x 3 (RGB)");
        p.put("scale", "x / 127.5 - 1 (float32)");
        p.putArray("range").add(-1).add(1);
        p.put("resize", "bilinear to image_size x image_size with half-pixel centres, no antialiasing"
                + " (tf.image.resize bilinear; identity when the size already matches), then clip to [-1, 1]");
        ObjectNode ch = p.putObject("channel_conversion");
        ch.put("same", "kept as is");
        ch.put("1_to_3", "the grayscale plane tiled to 3 channels");
        ch.put("3_to_1", "ITU-R 601 luma 0.299 R + 0.587 G + 0.114 B of the preprocessed channels,"
                + " clipped to [-1, 1]");
        p.put("layout", "float32 N x C x H x W");
        return p;
    }

    /**
     * Reads and checks a config.json; {@code source} names it in messages.
     *
     * @throws IllegalArgumentException naming the file and the problem: not JSON, another format, a
     *     newer format version, a missing or mistyped field, or values that contradict each other
     */
    public static ExportConfig parse(byte[] bytes, String source) {
        JsonNode o;
        try {
            o = JSON.readTree(bytes);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(source + " is not valid JSON (" + e.getOriginalMessage()
                    + "): the export is damaged; export the model again");
        } catch (IOException e) {
            throw new IllegalStateException("reading JSON from memory failed", e);
        }
        if (o == null || !o.isObject()) {
            throw new IllegalArgumentException(source + " is not a JSON object: not a munet export config");
        }
        Fields f = new Fields(o, source);
        String format = o.path("format").asText(null);
        if (!FORMAT.equals(format)) {
            throw new IllegalArgumentException(source + " is not a munet export config: its format is "
                    + (format == null ? "missing" : "'" + format + "'") + ", expected '" + FORMAT + "'");
        }
        int version = f.integer("format_version");
        if (version > FORMAT_VERSION || version < 1) {
            throw new IllegalArgumentException(source + " has format_version " + version + "; this munet"
                    + " reads version " + FORMAT_VERSION + " (export with this munet, or upgrade munet)");
        }
        double eps = f.number("layer_norm_eps");
        if (Math.abs(eps - VitConfig.LAYER_NORM_EPS) > 1e-12) {
            throw new IllegalArgumentException(source + ": layer_norm_eps is " + eps + ", munet computes"
                    + " with " + VitConfig.LAYER_NORM_EPS + " only");
        }
        VitConfig vit;
        try {
            vit = new VitConfig(new ModelDims(f.integer("patch_size"), f.integer("channels"),
                    f.integer("hidden_size"), f.integer("mlp_dim"), f.integer("num_heads")),
                    f.integer("image_size"), f.integer("num_layers"));
        } catch (IllegalArgumentException e) {
            if (e.getMessage().startsWith(source)) {
                throw e;
            }
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
        List<Integer> adapters = f.integers("adapter_layers");
        for (int i = 0; i < adapters.size(); i++) {
            int layer = adapters.get(i);
            if (layer < 0 || layer >= vit.numLayers() || (i > 0 && layer <= adapters.get(i - 1))) {
                throw new IllegalArgumentException(source + ": adapter_layers " + adapters + " must be"
                        + " ascending layer indices below num_layers (" + vit.numLayers() + ")");
            }
        }
        List<String> classNames = f.strings("class_names");
        int numClasses = f.integer("num_classes");
        if (classNames.size() != numClasses) {
            throw new IllegalArgumentException(source + ": num_classes is " + numClasses + " but class_names"
                    + " holds " + classNames.size() + " names; give one name per class");
        }
        Double accuracy = o.path("test_accuracy").isNumber() ? o.get("test_accuracy").asDouble() : null;
        TaskModelInfo info = new TaskModelInfo(f.text("task"), f.optionalText("source_state"),
                o.path("source_version").isIntegralNumber() ? o.get("source_version").asLong() : -1,
                f.integer("path_id"), vit, adapters, f.integer("adapter_dim"), classNames, accuracy,
                f.optionalText("test_predictions_sha256"));
        return new ExportConfig(info, f.optionalText("weights_sha256"));
    }

    /** Typed access to required fields, with messages that name the file and the field. */
    private record Fields(JsonNode o, String source) {

        int integer(String name) {
            JsonNode n = required(name);
            if (!n.isIntegralNumber() || !n.canConvertToInt()) {
                throw wrong(name, "an integer", n);
            }
            return n.asInt();
        }

        double number(String name) {
            JsonNode n = required(name);
            if (!n.isNumber()) {
                throw wrong(name, "a number", n);
            }
            return n.asDouble();
        }

        String text(String name) {
            JsonNode n = required(name);
            if (!n.isTextual()) {
                throw wrong(name, "a string", n);
            }
            return n.asText();
        }

        String optionalText(String name) {
            JsonNode n = o.get(name);
            return n == null || n.isNull() ? null : text(name);
        }

        List<Integer> integers(String name) {
            JsonNode n = required(name);
            List<Integer> out = new ArrayList<>();
            if (!n.isArray()) {
                throw wrong(name, "a list of integers", n);
            }
            for (JsonNode e : n) {
                if (!e.isIntegralNumber() || !e.canConvertToInt()) {
                    throw wrong(name, "a list of integers", n);
                }
                out.add(e.asInt());
            }
            return out;
        }

        List<String> strings(String name) {
            JsonNode n = required(name);
            List<String> out = new ArrayList<>();
            if (!n.isArray()) {
                throw wrong(name, "a list of strings", n);
            }
            for (JsonNode e : n) {
                if (!e.isTextual()) {
                    throw wrong(name, "a list of strings", n);
                }
                out.add(e.asText());
            }
            return out;
        }

        private JsonNode required(String name) {
            JsonNode n = o.get(name);
            if (n == null || n.isNull()) {
                throw new IllegalArgumentException(source + " lacks the field '" + name + "' (a damaged or"
                        + " hand-edited export; export the model again)");
            }
            return n;
        }

        private IllegalArgumentException wrong(String name, String expected, JsonNode got) {
            return new IllegalArgumentException(source + ": '" + name + "' must be " + expected + ", got " + got);
        }
    }
}
