package org.munet.nn;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Component tensors to and from bytes: a {@link Safetensors} file whose tensors are the parameters,
 * stored as {@code param/<name>}, and the momentum traces, stored as {@code momentum/<name>}, both
 * in F32 (the precision they are kept in, so the round trip is exact); BF16 is also read. The
 * header's {@code __metadata__} names the component and this format.
 */
public final class ComponentCodec {

    static final String FORMAT = "munet-component-v1";
    private static final String PARAM = "param/";
    private static final String MOMENTUM = "momentum/";
    private static final String KIND = "component file";

    private ComponentCodec() {}

    public static byte[] encode(HostComponent component) {
        // Ordered maps only: Map.of iterates in a per-JVM random order, which would give the same
        // component a different file (and checksum) in every JVM.
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("component", component.name());
        metadata.put("format", FORMAT);
        Map<String, HostTensor> tensors = new LinkedHashMap<>();
        component.parameters().forEach((name, t) -> tensors.put(PARAM + name, t));
        component.momentum().forEach((name, t) -> tensors.put(MOMENTUM + name, t));
        return Safetensors.encode(tensors, metadata);
    }

    /**
     * Reads a component; {@code source} names the bytes' origin in error messages.
     *
     * @throws IllegalArgumentException naming the source and what is wrong
     */
    public static HostComponent decode(byte[] bytes, String source) {
        Safetensors.Contents contents = Safetensors.decode(bytes, source, KIND);
        Map<String, String> meta = contents.metadata();
        String name = meta.get("component");
        if (!FORMAT.equals(meta.get("format")) || name == null) {
            throw corrupt(source, "header lacks __metadata__ {format: " + FORMAT + ", component}");
        }
        Map<String, HostTensor> params = new LinkedHashMap<>();
        Map<String, HostTensor> momentum = new LinkedHashMap<>();
        for (Map.Entry<String, HostTensor> e : contents.tensors().entrySet()) {
            String key = e.getKey();
            if (key.startsWith(PARAM)) {
                params.put(key.substring(PARAM.length()), e.getValue());
            } else if (key.startsWith(MOMENTUM)) {
                momentum.put(key.substring(MOMENTUM.length()), e.getValue());
            } else {
                throw corrupt(source, "unexpected tensor " + key);
            }
        }
        try {
            return new HostComponent(name, params, momentum);
        } catch (IllegalArgumentException e) {
            throw corrupt(source, e.getMessage());
        }
    }

    static float fromBfloat16(short v) {
        return HalfFloats.fromBfloat16(v);
    }

    private static IllegalArgumentException corrupt(String source, String what) {
        return new IllegalArgumentException(source + ": not a readable " + KIND + ": " + what);
    }
}
