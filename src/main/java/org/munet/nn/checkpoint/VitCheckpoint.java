package org.munet.nn.checkpoint;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.munet.nn.HostComponent;
import org.munet.nn.HostTensor;
import org.munet.system.Architecture;
import org.munet.system.CheckpointDims;
import org.munet.system.ComponentNames;

/**
 * A pretrained ViT checkpoint imported as munet components (spec §1.5): the naming scheme detected
 * from its keys ({@link CheckpointNaming}), every tensor checked and moved to munet's names and
 * layouts, and the model's dimensions read from the tensors. The checkpoint's classifier head is
 * ignored: a root always gets a new head (the root's head is never reused).
 *
 * <p>Nothing is accepted half-way: any missing, unexpected or mis-shaped tensor fails the import
 * with one message listing every offending key, before anything is written.
 */
public final class VitCheckpoint {

    private static final String Q = "attention.q.";
    private static final String K = "attention.k.";
    private static final String V = "attention.v.";

    private final String source;
    private final String sha256;
    private final String naming;
    private final CheckpointDims dims;
    /** Component name to parameters in munet layout; the position embedding at the checkpoint's grid. */
    private final Map<String, Map<String, HostTensor>> components;

    private VitCheckpoint(String source, String sha256, String naming, CheckpointDims dims,
            Map<String, Map<String, HostTensor>> components) {
        this.source = source;
        this.sha256 = sha256;
        this.naming = naming;
        this.dims = dims;
        this.components = components;
    }

    /**
     * Reads and imports a checkpoint.
     *
     * @param uri a local path or Hadoop URI
     * @param format "safetensors", "npz", or null to tell from the file name (or, failing that, its content)
     * @throws CheckpointException naming the file and every problem found
     */
    public static VitCheckpoint read(String uri, String format, Configuration hadoop) {
        return of(CheckpointFile.read(uri, CheckpointFormat.resolve(format, uri), hadoop));
    }

    /** Imports the tensors of an already read file. */
    public static VitCheckpoint of(CheckpointFile file) {
        String source = file.source();
        CheckpointNaming naming = null;
        Map<String, HostTensor> tensors = null;
        for (CheckpointNaming n : CheckpointNaming.ALL) {
            Map<String, HostTensor> stripped = n.stripPrefix(file.tensors());
            if (n.recognises(stripped.keySet())) {
                naming = n;
                tensors = stripped;
                break;
            }
        }
        if (naming == null) {
            throw new CheckpointException(source + ": not a ViT checkpoint in a naming munet knows; keys seen: "
                    + sample(file.tensors().keySet()) + ". Accepted namings: "
                    + CheckpointNaming.ALL.stream().map(n -> n.name() + " (" + n.exampleKeys() + ")")
                            .collect(Collectors.joining("; ")));
        }
        CheckpointNaming.Shapes shapes = shapes(source, naming, tensors);
        List<TensorRule> rules = naming.rules(shapes);
        check(source, naming, tensors, rules, shapes.hiddenSize());
        Map<String, Map<String, HostTensor>> components = new LinkedHashMap<>();
        for (TensorRule r : rules) {
            HostTensor t = r.layout().apply(tensors.get(r.key()));
            if (r.component().equals(ComponentNames.POSEMBED)) {
                t = withClassTokenRow(t);
            }
            components.computeIfAbsent(r.component(), c -> new LinkedHashMap<>()).put(r.param(), t);
        }
        components.replaceAll((name, params) -> fuseQueryKeyValue(params));
        CheckpointDims dims = new CheckpointDims(source, shapes.patchSize(), shapes.channels(), shapes.hiddenSize(),
                shapes.mlpDim(), shapes.numHeads(), shapes.blocks());
        return new VitCheckpoint(source, file.sha256(), naming.name(), dims, components);
    }

    public String source() {
        return source;
    }

    /** SHA-256 of the file's bytes: a state started from this root records it. */
    public String sha256() {
        return sha256;
    }

    /** The naming scheme the keys were in, e.g. "timm". */
    public String naming() {
        return naming;
    }

    public CheckpointDims dims() {
        return dims;
    }

    /** Side of the checkpoint's own patch grid (e.g. 14 for 224-pixel images in 16-pixel patches). */
    public int grid() {
        long tokens = components.get(ComponentNames.POSEMBED).get("pos_embedding").shape()[1];
        return (int) Math.round(Math.sqrt(tokens - 1));
    }

    /**
     * The root's components except its head, in model order (embedding, cls, posembed_input, every
     * encoder block, encoder_norm), for images of side {@code imageSize}: the position embedding is
     * resampled to that grid as vit_jax does ({@link PositionResampler}).
     */
    public List<HostComponent> components(int imageSize) {
        if (imageSize % dims.patchSize() != 0) {
            throw new IllegalArgumentException("model.image_size (" + imageSize + ") must be a multiple of the"
                    + " checkpoint's patch size (" + dims.patchSize() + ")");
        }
        List<String> names = new ArrayList<>(Architecture.componentNames(dims.numLayers(), List.of()));
        names.remove(ComponentNames.HEAD);
        List<HostComponent> out = new ArrayList<>();
        for (String name : names) {
            Map<String, HostTensor> params = components.get(name);
            if (name.equals(ComponentNames.POSEMBED)) {
                params = Map.of("pos_embedding",
                        PositionResampler.resample(params.get("pos_embedding"), imageSize / dims.patchSize()));
            }
            out.add(new HostComponent(name, params, Map.of()));
        }
        return out;
    }

    /** The dimensions, after checking that the keys they are read from exist with the right rank. */
    private static CheckpointNaming.Shapes shapes(String source, CheckpointNaming naming, Map<String, HostTensor> t) {
        Set<String> missing = new TreeSet<>();
        List<String> misShaped = new ArrayList<>();
        for (Map.Entry<String, Integer> e : naming.dimensionKeys().entrySet()) {
            HostTensor tensor = t.get(e.getKey());
            if (tensor == null) {
                missing.add(e.getKey());
            } else if (tensor.shape().length != e.getValue()) {
                misShaped.add(e.getKey() + " has shape " + java.util.Arrays.toString(tensor.shape()) + ", expected "
                        + e.getValue() + " dimensions");
            }
        }
        if (!missing.isEmpty() || !misShaped.isEmpty()) {
            StringBuilder b = new StringBuilder(source + ": cannot read the model's dimensions from this "
                    + naming.name() + " checkpoint (nothing was written):");
            if (!missing.isEmpty()) {
                b.append("\n  missing keys (").append(missing.size()).append("): ").append(String.join(", ", missing));
            }
            if (!misShaped.isEmpty()) {
                b.append("\n  mis-shaped keys (").append(misShaped.size()).append("): ")
                        .append(String.join("; ", misShaped));
            }
            throw new CheckpointException(b.toString());
        }
        return naming.shapes(t, naming.blockCount(t.keySet()));
    }

    /** Every expected key present with its shape, and no key munet would silently drop. */
    private static void check(String source, CheckpointNaming naming, Map<String, HostTensor> t,
            List<TensorRule> rules, int width) {
        Set<String> expected = new java.util.HashSet<>();
        Set<String> missing = new TreeSet<>();
        List<String> misShaped = new ArrayList<>();
        for (TensorRule r : rules) {
            expected.add(r.key());
            HostTensor tensor = t.get(r.key());
            if (tensor == null) {
                missing.add(r.key());
            } else if (r.shape() == null ? !isPositionEmbedding(tensor.shape(), width)
                    : !java.util.Arrays.equals(r.shape(), tensor.shape())) {
                misShaped.add(r.key() + " has shape " + java.util.Arrays.toString(tensor.shape()) + ", expected "
                        + (r.shape() == null ? "[1, 1 + g*g, " + width + "] (class token row, then a square grid)"
                                : java.util.Arrays.toString(r.shape())));
            }
        }
        Set<String> extra = new TreeSet<>();
        for (String key : t.keySet()) {
            if (!expected.contains(key) && !naming.ignored(key)) {
                extra.add(key);
            }
        }
        if (missing.isEmpty() && misShaped.isEmpty() && extra.isEmpty()) {
            return;
        }
        StringBuilder b = new StringBuilder(source + ": cannot import this " + naming.name()
                + " checkpoint as a root (nothing was written):");
        if (!missing.isEmpty()) {
            b.append("\n  missing keys (").append(missing.size()).append("): ").append(String.join(", ", missing));
            if (missing.stream().anyMatch(k -> k.equals("cls") || k.endsWith("cls_token"))) {
                b.append("\n    (a ViT without a class token, e.g. a global-average-pool model, cannot be a munet"
                        + " root: munet's head reads the class token)");
            }
        }
        if (!extra.isEmpty()) {
            b.append("\n  unexpected keys munet has no place for (").append(extra.size()).append("): ")
                    .append(String.join(", ", extra))
                    .append("\n    (dropping them would change the model's function; munet's ViT is the plain"
                            + " pre-LN ViT with a class token)");
        }
        if (!misShaped.isEmpty()) {
            b.append("\n  mis-shaped keys (").append(misShaped.size()).append("): ").append(String.join("; ", misShaped));
        }
        throw new CheckpointException(b.toString());
    }

    /** (1, T, D) with T = 1 + g*g (class token row first), or T = g*g (no row for the class token). */
    private static boolean isPositionEmbedding(long[] shape, int width) {
        return shape.length == 3 && shape[0] == 1 && shape[2] == width
                && (isSquare(shape[1] - 1) || isSquare(shape[1]));
    }

    private static boolean isSquare(long n) {
        long r = Math.round(Math.sqrt(n));
        return n > 0 && r * r == n;
    }

    /**
     * Some timm models ({@code no_embed_class=True}) keep no position row for the class token: the
     * class token then enters the encoder as it is, which is exactly a zero row in munet's layout.
     */
    private static HostTensor withClassTokenRow(HostTensor posemb) {
        long[] s = posemb.shape();
        if (isSquare(s[1] - 1)) {
            return posemb;
        }
        float[] out = new float[(int) ((s[1] + 1) * s[2])];
        System.arraycopy(posemb.values(), 0, out, (int) s[2], posemb.values().length);
        return new HostTensor(new long[] {1, s[1] + 1, s[2]}, out);
    }

    /** Separate query, key and value projections become munet's fused (3D, D) one, rows q|k|v. */
    private static Map<String, HostTensor> fuseQueryKeyValue(Map<String, HostTensor> params) {
        if (!params.containsKey(Q + "weight")) {
            return params;
        }
        Map<String, HostTensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, HostTensor> e : params.entrySet()) {
            String name = e.getKey();
            if (name.startsWith(Q)) {
                String suffix = name.substring(Q.length());
                out.put("attention.qkv." + suffix, concatRows(params.get(Q + suffix), params.get(K + suffix),
                        params.get(V + suffix)));
            } else if (!name.startsWith(K) && !name.startsWith(V)) {
                out.put(name, e.getValue());
            }
        }
        // The fused entry takes the query's place, so the order stays munet's declaration order.
        return out;
    }

    private static HostTensor concatRows(HostTensor q, HostTensor k, HostTensor v) {
        long[] s = q.shape().clone();
        s[0] *= 3;
        float[] out = new float[q.values().length * 3];
        System.arraycopy(q.values(), 0, out, 0, q.values().length);
        System.arraycopy(k.values(), 0, out, q.values().length, k.values().length);
        System.arraycopy(v.values(), 0, out, 2 * q.values().length, v.values().length);
        return new HostTensor(s, out);
    }

    private static String sample(Set<String> keys) {
        List<String> sorted = new ArrayList<>(new TreeSet<>(keys));
        String shown = String.join(", ", sorted.subList(0, Math.min(8, sorted.size())));
        return sorted.size() > 8 ? shown + ", ... (" + sorted.size() + " keys)" : shown;
    }
}
