package org.munet.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class StateStoreComponentsTest {

    @TempDir
    Path tmp;

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    @ParameterizedTest
    @EnumSource(StoreVariant.class)
    void stagedComponentIsPromotedAfterItsChecksumIsVerified(StoreVariant variant) {
        Path dir = tmp.resolve("state");
        StateStore store = variant.open(dir);
        byte[] content = bytes(1000, 1);
        String sha = store.putStagedComponent("run-1", 12, content);
        assertEquals(Sha256.hex(content), sha);
        assertEquals(64, sha.length());
        assertEquals(sha.toLowerCase(Locale.ROOT), sha);
        assertTrue(Files.exists(dir.resolve("staging/run-1/12.safetensors")));
        assertFalse(store.hasComponent(12));

        store.promoteStaged("run-1", 12, sha);
        assertTrue(store.hasComponent(12));
        assertFalse(Files.exists(dir.resolve("staging/run-1/12.safetensors")));
        assertArrayEquals(content, store.readComponent(12, sha));
        assertArrayEquals(content, store.readComponent(12, sha.toUpperCase(Locale.ROOT)));
    }

    @ParameterizedTest
    @EnumSource(StoreVariant.class)
    void anExistingComponentFileIsNeverOverwritten(StoreVariant variant) throws IOException {
        Path dir = tmp.resolve("state");
        StateStore store = variant.open(dir);
        byte[] original = bytes(64, 1);
        String originalSha = store.putComponentDirect(5, original);
        String otherSha = store.putStagedComponent("run-2", 5, bytes(64, 2));

        IllegalStateException promote = assertThrows(IllegalStateException.class,
                () -> store.promoteStaged("run-2", 5, otherSha));
        assertTrue(promote.getMessage().contains("component 5 already exists"), promote.getMessage());
        assertTrue(promote.getMessage().contains("components/5.safetensors"), promote.getMessage());
        IllegalStateException direct = assertThrows(IllegalStateException.class,
                () -> store.putComponentDirect(5, bytes(64, 3)));
        assertTrue(direct.getMessage().contains("immutable"), direct.getMessage());

        assertArrayEquals(original, Files.readAllBytes(dir.resolve("components/5.safetensors")));
        assertArrayEquals(original, store.readComponent(5, originalSha));
        assertTrue(Files.exists(dir.resolve("staging/run-2/5.safetensors")), "the refused candidate stays staged");
    }

    @ParameterizedTest
    @EnumSource(StoreVariant.class)
    void aStagedFileThatDoesNotMatchIsNotPromoted(StoreVariant variant) {
        Path dir = tmp.resolve("state");
        StateStore store = variant.open(dir);
        String sha = store.putStagedComponent("r", 7, bytes(10, 1));
        store.putStagedComponent("r", 7, bytes(10, 2)); // a second task attempt wrote something else

        CorruptStateException e = assertThrows(CorruptStateException.class, () -> store.promoteStaged("r", 7, sha));
        assertTrue(e.getMessage().contains("staging/r/7.safetensors is corrupt: expected sha256 " + sha
                + ", actual sha256 " + Sha256.hex(bytes(10, 2))), e.getMessage());
        assertFalse(store.hasComponent(7));

        CorruptStateException missing = assertThrows(CorruptStateException.class,
                () -> store.promoteStaged("r", 8, sha));
        assertTrue(missing.getMessage().contains("staging/r/8.safetensors missing"), missing.getMessage());
    }

    @ParameterizedTest
    @EnumSource(StoreVariant.class)
    void aCorruptedComponentIsDetectedWithBothChecksums(StoreVariant variant) throws IOException {
        Path dir = tmp.resolve("state");
        StateStore store = variant.open(dir);
        byte[] content = bytes(4096, 5);
        String sha = store.putComponentDirect(3, content);
        Path file = dir.resolve("components/3.safetensors");
        byte[] flipped = Files.readAllBytes(file);
        flipped[100] ^= 0x01;
        Files.write(file, flipped); // leaves Hadoop's .crc sibling stale as well

        CorruptStateException e = assertThrows(CorruptStateException.class, () -> store.readComponent(3, sha));
        String m = e.getMessage();
        assertTrue(m.contains(file.toString()), m);
        assertTrue(m.contains("expected sha256 " + sha), m);
        assertTrue(m.contains("actual sha256 " + Sha256.hex(flipped)), m);

        CorruptStateException missing = assertThrows(CorruptStateException.class, () -> store.readComponent(4, sha));
        assertTrue(missing.getMessage().contains("components/4.safetensors missing"), missing.getMessage());
        assertTrue(missing.getMessage().contains("expected sha256 " + sha), missing.getMessage());
    }

    @ParameterizedTest
    @EnumSource(StoreVariant.class)
    void unreferencedComponentsAreListedButNotTemporaryOrChecksumFiles(StoreVariant variant) throws IOException {
        Path dir = tmp.resolve("state");
        StateStore store = variant.open(dir);
        for (long id : new long[] {0, 1, 2, 3, 10}) {
            store.putComponentDirect(id, bytes(8, (int) id));
        }
        Files.write(dir.resolve("components/.11.safetensors.tmp-q"), new byte[] {1});
        Files.write(dir.resolve("components/readme.txt"), new byte[] {1});
        assertEquals(List.of(0L, 2L, 10L), store.unreferencedComponents(Set.of(1L, 3L, 99L)));
        List<String> names = StateStoreVersionsTest.names(dir.resolve("components"));
        assertEquals(variant.writesChecksumFiles(), names.contains(".10.safetensors.crc"), names.toString());
    }

    @ParameterizedTest
    @EnumSource(StoreVariant.class)
    void stagingIsRemovedPerRunOrWhole(StoreVariant variant) {
        Path dir = tmp.resolve("state");
        StateStore store = variant.open(dir);
        store.putStagedComponent("a", 1, bytes(4, 1));
        store.putStagedComponent("b", 2, bytes(4, 2));
        store.deleteStaging("a");
        assertFalse(Files.exists(dir.resolve("staging/a")));
        assertTrue(Files.exists(dir.resolve("staging/b/2.safetensors")));
        store.deleteStaging("never-existed");
        store.cleanStaging();
        assertFalse(Files.exists(dir.resolve("staging")));
        store.cleanStaging();
    }

    @Test
    void runIdsAndComponentIdsAndChecksumsAreValidated() {
        StateStore store = StoreVariant.FILE_URI.open(tmp.resolve("state"));
        for (String bad : new String[] {"../x", "a/b", ".hidden", "..", "", "a b"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> store.putStagedComponent(bad, 1, new byte[1]), bad);
            assertTrue(e.getMessage().contains("run id"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> store.putComponentDirect(-1, new byte[1]));
        assertThrows(IllegalArgumentException.class, () -> store.readComponent(1, "abc"));
        assertThrows(IllegalArgumentException.class, () -> store.promoteStaged("r", 1, "z".repeat(64)));
    }
}
