package org.munet.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.munet.store.HadoopConf;
import org.munet.store.StateStore;
import org.munet.store.SystemManifest;

/**
 * Rewrites a state written by this code, on the local file system, as the code before bounded
 * state wrote it: {@value SystemManifest#FORMAT_V1}, every version a whole manifest
 * ({@code manifest/<N>.json}, without v2's {@code kind} and {@code task_end}), history without the
 * {@code system} lines, no {@code format.json}.
 *
 * <p>Why: a v1 state that continues into exactly the system an uninterrupted run builds must hold
 * the bits this machine's kernels compute, and those differ between CPUs (libtorch and MKL pick
 * AVX2 or AVX-512 code paths; {@code MKL_CBWR=AUTO} is reproducible on one CPU only). A committed
 * fixture holds one machine's bits; this writes the same format from a run on the machine the test
 * runs on. The committed fixture ({@code fixtures/state-v1}) still shows that what the old code
 * really wrote is read, verified and continued.
 */
final class V1StateWriter {

    private static final ObjectMapper JSON = new ObjectMapper();

    private V1StateWriter() {}

    static void rewrite(Path state) throws IOException {
        StateStore store = StateStore.open(state.toString(), HadoopConf.forThisJvm());
        Map<Long, byte[]> manifests = new TreeMap<>();
        for (long v : store.manifestVersions()) {
            SystemManifest.Loaded loaded = SystemManifest.read(store, v); // deltas resolved
            ObjectNode manifest = (ObjectNode) JSON.readTree(SystemManifest.encode(v, loaded.state()));
            manifest.put("format", SystemManifest.FORMAT_V1);
            manifest.remove(List.of("kind", "task_end"));
            manifests.put(v, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
        }
        // The local file system's checksums (.crc) would no longer match the rewritten files, and
        // v1 states in the fixture carry none: dropped everywhere.
        try (Stream<Path> files = Files.walk(state)) {
            for (Path crc : files.filter(f -> f.getFileName().toString().endsWith(".crc")).toList()) {
                Files.delete(crc);
            }
        }
        Path manifestDir = state.resolve("manifest");
        try (Stream<Path> old = Files.list(manifestDir)) {
            for (Path f : old.toList()) {
                Files.delete(f);
            }
        }
        for (Map.Entry<Long, byte[]> m : manifests.entrySet()) {
            Files.write(manifestDir.resolve(m.getKey() + ".json"), m.getValue());
        }
        try (Stream<Path> histories = Files.list(state.resolve("history"))) {
            for (Path h : histories.toList()) {
                List<String> lines = Files.readAllLines(h, StandardCharsets.UTF_8).stream()
                        .filter(line -> !line.startsWith("{\"system\""))
                        .toList();
                Files.write(h, lines, StandardCharsets.UTF_8);
            }
        }
        Files.delete(state.resolve("format.json"));
        Path staging = state.resolve("staging");
        if (Files.isDirectory(staging)) {
            Files.delete(staging); // empty after a clean stop; a v1 state has none until written to
        }
    }
}
