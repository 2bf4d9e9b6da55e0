package org.munet.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class StateVerifierTest {

    @TempDir
    Path tmp;

    private static String only(List<String> errors) {
        assertEquals(1, errors.size(), errors.toString());
        return errors.get(0);
    }

    private static void assertHas(String text, String... parts) {
        for (String part : parts) {
            assertTrue(text.contains(part), "expected \"" + part + "\" in: " + text);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreVariant.class)
    void aHealthyStateHasNoErrorsAndEachComponentIsHashedOnce(StoreVariant variant) {
        TestStates.Built s = TestStates.build(tmp.resolve("state"), variant);
        StateReport r = StateVerifier.verify(s.store());
        assertEquals(List.of(), r.errors());
        assertEquals(List.of(), r.leftovers());
        assertEquals(3, r.latestVersion());
        assertEquals(3, r.versions());
        // 8 references (2 + 3 + 3) to 4 distinct files: each file counted, and its bytes, once.
        assertEquals(4, r.components());
        assertEquals(s.bytes(), r.bytes());
        assertTrue(r.healthy());
        assertHas(r.summary(), s.store().uri() + " version 3 is consistent: 3 versions, 4 component files ("
                + s.bytes() + " bytes) checked; 0 leftovers");
        assertDoesNotThrow(() -> StateVerifier.requireHealthy(s.store()));
    }

    @ParameterizedTest
    @EnumSource(StoreVariant.class)
    void aCorruptComponentOfAnOldVersionIsAnError(StoreVariant variant) throws IOException {
        TestStates.Built s = TestStates.build(tmp.resolve("state"), variant);
        Path file = s.dir().resolve("components/2.safetensors"); // referenced by version 2 only
        byte[] flipped = Files.readAllBytes(file);
        flipped[10] ^= 0x01;
        Files.write(file, flipped); // Hadoop's .crc sibling goes stale as well

        StateReport r = StateVerifier.verify(s.store());
        assertHas(only(r.errors()), s.store().uri() + "/components/2.safetensors is corrupt: its sha256 is "
                + Sha256.hex(flipped) + ", but version 2 recorded " + Sha256.hex(s.components().get(2L))
                + " for component 2");
        assertFalse(r.healthy());
        assertHas(r.summary(), "is damaged: 1 error in 3 versions");

        CorruptStateException e = assertThrows(CorruptStateException.class,
                () -> StateVerifier.requireHealthy(s.store()));
        assertHas(e.getMessage(), "is damaged, so evolution does not start: 1 error:",
                "/components/2.safetensors is corrupt", "Run 'deploy/munet fsck --state " + s.store().uri() + "'",
                "restore the named files from a backup");
    }

    @ParameterizedTest
    @EnumSource(StoreVariant.class)
    void aMissingComponentNamesEveryVersionThatNeedsIt(StoreVariant variant) throws IOException {
        TestStates.Built s = TestStates.build(tmp.resolve("state"), variant);
        Files.delete(s.dir().resolve("components/0.safetensors"));
        assertHas(only(StateVerifier.verify(s.store()).errors()),
                s.store().uri() + "/components/0.safetensors is missing: component 0 is referenced by versions 1-3");
    }

    /** Rewrites the sha256 that manifest 3 records for its {@code index}-th component, as damage would. */
    private static void recordInVersion3(TestStates.Built s, int index, String sha256) throws IOException {
        Path manifest = s.dir().resolve("manifest/3.json");
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = (ObjectNode) json.readTree(manifest.toFile());
        ((ObjectNode) root.get("components").get(index)).put("sha256", sha256);
        Files.write(manifest, json.writeValueAsBytes(root));
    }

    @Test
    void aRecordedChecksumThatIsNotASha256IsAnError() throws IOException {
        TestStates.Built s = TestStates.build(tmp.resolve("state"));
        recordInVersion3(s, 2, "not-a-checksum"); // component 3

        assertHas(only(StateVerifier.verify(s.store()).errors()), s.store().uri() + "/manifest/3.json records sha256 "
                + "\"not-a-checksum\" for component 3, which is not a SHA-256 (64 hex digits): the manifest is damaged");
    }

    @Test
    void manifestsThatDisagreeOnAChecksumAreReported() throws IOException {
        TestStates.Built s = TestStates.build(tmp.resolve("state"));
        String other = Sha256.hex(new byte[] {1});
        recordInVersion3(s, 0, other); // component 0

        List<String> errors = StateVerifier.verify(s.store()).errors();
        assertEquals(2, errors.size(), errors.toString());
        assertHas(errors.get(0), "manifests disagree on the sha256 of component 0",
                "versions 1-2 record " + Sha256.hex(s.components().get(0L)), "version 3 record " + other);
        assertHas(errors.get(1), "/components/0.safetensors is corrupt", "version 3 recorded " + other);
    }

    @Test
    void aMissingCheckpointInTheMiddleIsAnError() throws IOException {
        TestStates.Built s = TestStates.build(tmp.resolve("state"));
        Files.delete(s.dir().resolve("manifest/2.json"));
        Files.deleteIfExists(s.dir().resolve("manifest/.2.json.crc"));
        StateReport r = StateVerifier.verify(s.store());
        // Retention drops deltas, never checkpoints: the history (kept whole) says version 2 was one.
        assertHas(only(r.errors()), s.store().uri() + "/manifest/2.json is missing: version 2 was written as a "
                + "checkpoint");
        assertEquals(2, r.versions());
        // What only version 2 referenced is now unexplained, but it is not removed by anyone.
        assertTrue(r.leftovers().contains(new Leftover(Leftover.Kind.UNREFERENCED_COMPONENT,
                s.store().uri() + "/components/2.safetensors")), r.leftovers().toString());
    }

    @Test
    void aMissingHistoryFileIsAnErrorEvenForADroppedVersion() throws IOException {
        TestStates.Built s = TestStates.build(tmp.resolve("state"));
        Files.delete(s.dir().resolve("history/2.jsonl"));
        Files.deleteIfExists(s.dir().resolve("history/.2.jsonl.crc"));
        assertHas(only(StateVerifier.verify(s.store()).errors()), s.store().uri() + "/history lacks version 2: every "
                + "committed version keeps its history file");
    }

    @Test
    void aManifestThatDoesNotParseOrNamesAnotherVersionIsAnError() throws IOException {
        TestStates.Built s = TestStates.build(tmp.resolve("state"));
        Files.writeString(s.dir().resolve("manifest/2.json"), "{\"format\":");
        Files.copy(s.dir().resolve("manifest/1.json"), s.dir().resolve("manifest/3.json"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        List<String> errors = StateVerifier.verify(s.store()).errors();
        assertEquals(2, errors.size(), errors.toString());
        assertHas(errors.get(0), s.store().uri() + "/manifest/2.json: unreadable manifest");
        assertHas(errors.get(1), s.store().uri() + "/manifest/3.json records version 1, not the 3 its name says");
    }

    @Test
    void historyMustExistForEveryVersionAndParseLineByLine() throws IOException {
        TestStates.Built s = TestStates.build(tmp.resolve("state"));
        Files.delete(s.dir().resolve("history/1.jsonl"));
        Path h3 = s.dir().resolve("history/3.jsonl");
        String text = Files.readString(h3);
        Files.writeString(h3, text.substring(0, text.length() - 20)); // a torn last line
        List<String> errors = StateVerifier.verify(s.store()).errors();
        assertEquals(2, errors.size(), errors.toString());
        assertHas(errors.get(0), s.store().uri() + "/history/3.jsonl is damaged: 1 line is not JSON, first line 2");
        assertHas(errors.get(1), s.store().uri() + "/history lacks version 1");
    }

    @Test
    void theConfigMustExistOnceAVersionIsCommitted() throws IOException {
        TestStates.Built s = TestStates.build(tmp.resolve("state"));
        Files.delete(s.dir().resolve("config.yaml"));
        assertHas(only(StateVerifier.verify(s.store()).errors()), s.store().uri() + "/config.yaml is missing");
    }

    @Test
    void leftoversOfACrashAreListedByKindAndAreNotErrors() throws IOException {
        TestStates.Built s = TestStates.build(tmp.resolve("state"));
        StateStore store = s.store();
        store.putStagedComponent("run-9", 7, new byte[] {7});
        store.putComponentDirect(4, new byte[] {4}); // below next_component_id 6: nobody's
        store.putComponentDirect(6, new byte[] {6}); // promoted, then the run died before committing
        store.writeHistory(4, "{\"path\":{}}\n".getBytes(UTF_8));
        Files.write(s.dir().resolve("manifest/.4.json.tmp-abc"), new byte[] {1});
        Files.write(s.dir().resolve(".config.yaml.tmp-def"), new byte[] {1});

        StateReport r = StateVerifier.verify(store);
        assertEquals(List.of(), r.errors());
        Map<String, Leftover.Kind> byPath = new TreeMap<>();
        r.leftovers().forEach(l -> byPath.put(l.path().substring(store.uri().toString().length()), l.kind()));
        assertEquals(Map.of(
                "/staging/run-9/7.safetensors", Leftover.Kind.STAGING,
                "/manifest/.4.json.tmp-abc", Leftover.Kind.TEMPORARY,
                "/.config.yaml.tmp-def", Leftover.Kind.TEMPORARY,
                "/components/4.safetensors", Leftover.Kind.UNREFERENCED_COMPONENT,
                "/components/6.safetensors", Leftover.Kind.UNCOMMITTED_COMPONENT,
                "/history/4.jsonl", Leftover.Kind.UNCOMMITTED_HISTORY), byPath);
        assertHas(r.summary(), "version 3 is consistent", "6 leftovers");
        assertTrue(r.lines().contains("leftover: uncommitted component " + store.uri() + "/components/6.safetensors "
                + "(promoted by a generation that was never committed; the next evolve removes it)"), r.lines().toString());
        assertDoesNotThrow(() -> StateVerifier.requireHealthy(store));
    }

    @Test
    void aStateWithoutVersionsIsHealthy() throws IOException {
        StateStore absent = StoreVariant.FILE_URI.open(tmp.resolve("absent"));
        StateReport r = StateVerifier.verify(absent);
        assertTrue(r.healthy());
        assertEquals(0, r.versions());
        assertHas(r.summary(), "holds no committed version");
        assertDoesNotThrow(() -> StateVerifier.requireHealthy(absent));
        assertFalse(Files.exists(tmp.resolve("absent")), "verifying must not create the state");

        // A run that died while writing the root: its components are the next attempt's to replace.
        StateStore crashed = StoreVariant.FILE_URI.open(tmp.resolve("crashed"));
        crashed.putComponentDirect(0, new byte[] {1});
        assertEquals(List.of(new Leftover(Leftover.Kind.UNCOMMITTED_COMPONENT, crashed.uri() + "/components/0.safetensors")),
                StateVerifier.verify(crashed).leftovers());
    }

    @Test
    void versionRangesAreCompact() {
        assertEquals("version 4", ComponentAudit.versions(new java.util.TreeSet<>(List.of(4L))));
        assertEquals("versions 1-3, 5, 7-8", ComponentAudit.versions(new java.util.TreeSet<>(List.of(1L, 2L, 3L, 5L, 7L, 8L))));
    }
}
