package org.munet.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class StateStoreVersionsTest {

    @TempDir
    Path tmp;

    private static byte[] json(String s) {
        return s.getBytes(UTF_8);
    }

    /** Names in a directory, as the file system has them (hidden and .crc included). */
    static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @ParameterizedTest
    @EnumSource(StoreVariant.class)
    void newStateIsEmptyAndOpeningCreatesNothing(StoreVariant variant) {
        Path dir = tmp.resolve("state");
        StateStore store = variant.open(dir);
        assertEquals(OptionalLong.empty(), store.latestVersion());
        assertEquals(List.of(), store.historyVersions());
        assertEquals(List.of(), store.unreferencedComponents(java.util.Set.of()));
        assertEquals("file", store.uri().getScheme());
        assertEquals(dir.toUri().getPath().replaceAll("/$", ""), store.uri().getPath());
        assertFalse(Files.exists(dir), "open must not create the state directory");
    }

    @ParameterizedTest
    @EnumSource(StoreVariant.class)
    void commitAndReadRoundTrip(StoreVariant variant) throws IOException {
        Path dir = tmp.resolve("state");
        StateStore store = variant.open(dir);
        store.commitManifest(1, json("{\"version\":1}"));
        store.commitManifest(2, json("{\"version\":2,\"paths\":[]}"));
        assertEquals(OptionalLong.of(2), store.latestVersion());
        assertArrayEquals(json("{\"version\":1}"), store.readManifest(1));
        assertArrayEquals(json("{\"version\":2,\"paths\":[]}"), store.readManifest(2));
        assertArrayEquals(json("{\"version\":2,\"paths\":[]}"), Files.readAllBytes(dir.resolve("manifest/2.json")));
        // A fresh store on the same directory sees the same state.
        assertEquals(OptionalLong.of(2), variant.open(dir).latestVersion());
        List<String> names = names(dir.resolve("manifest"));
        assertTrue(names.stream().noneMatch(n -> n.contains(".tmp-")), names.toString());
        assertEquals(variant.writesChecksumFiles(), names.contains(".2.json.crc"), names.toString());
    }

    @ParameterizedTest
    @EnumSource(StoreVariant.class)
    void committedVersionsAreNeverRewritten(StoreVariant variant) throws IOException {
        Path dir = tmp.resolve("state");
        StateStore store = variant.open(dir);
        store.commitManifest(1, json("{\"v\":1}"));
        store.commitManifest(3, json("{\"v\":3}"));

        IllegalStateException same = assertThrows(IllegalStateException.class,
                () -> store.commitManifest(3, json("{\"v\":\"other\"}")));
        assertTrue(same.getMessage().contains("version 3 already committed"), same.getMessage());
        assertTrue(same.getMessage().contains("commit version 4"), same.getMessage());

        IllegalStateException older = assertThrows(IllegalStateException.class,
                () -> store.commitManifest(1, json("{\"v\":\"other\"}")));
        assertTrue(older.getMessage().contains("version 1 already committed"), older.getMessage());
        IllegalStateException gap = assertThrows(IllegalStateException.class,
                () -> store.commitManifest(2, json("{\"v\":\"other\"}")));
        assertTrue(gap.getMessage().contains("below the latest committed version 3"), gap.getMessage());

        assertArrayEquals(json("{\"v\":1}"), store.readManifest(1));
        assertArrayEquals(json("{\"v\":3}"), store.readManifest(3));
        assertFalse(Files.exists(dir.resolve("manifest/2.json")));
        assertEquals(OptionalLong.of(3), store.latestVersion());
        assertTrue(names(dir.resolve("manifest")).stream().noneMatch(n -> n.contains(".tmp-")));
    }

    @ParameterizedTest
    @EnumSource(StoreVariant.class)
    void leftoverTemporaryFilesAreIgnoredThenCleaned(StoreVariant variant) throws IOException {
        Path dir = tmp.resolve("state");
        StateStore store = variant.open(dir);
        store.commitManifest(1, json("{}"));
        store.putComponentDirect(4, new byte[] {1, 2});
        Path manifests = dir.resolve("manifest");
        // A crash between the temporary write and the rename, plus names that are not versions.
        Files.write(manifests.resolve(".7.json.tmp-x"), json("{\"v\":7}"));
        Files.write(manifests.resolve("latest.json"), json("{}"));
        Files.write(manifests.resolve("8.json.bak"), json("{}"));
        Files.write(manifests.resolve("09.json"), json("{}"));
        Files.write(manifests.resolve("0.json"), json("{}"));
        Files.write(manifests.resolve(".9.json.crc"), new byte[] {1});
        Files.write(dir.resolve("components/.5.safetensors.tmp-y"), new byte[] {9});
        Files.createDirectories(dir.resolve("history"));
        Files.write(dir.resolve("history/.2.jsonl.tmp-z"), json("{}\n"));

        assertEquals(OptionalLong.of(1), store.latestVersion());
        assertEquals(List.of(), store.unreferencedComponents(java.util.Set.of(4L)));

        store.cleanTemporaryFiles();
        List<String> left = names(manifests);
        assertFalse(left.contains(".7.json.tmp-x"), left.toString());
        assertTrue(left.containsAll(List.of("1.json", "latest.json", "8.json.bak", "09.json", "0.json")), left.toString());
        assertFalse(Files.exists(dir.resolve("components/.5.safetensors.tmp-y")));
        assertFalse(Files.exists(dir.resolve("history/.2.jsonl.tmp-z")));
        assertTrue(Files.exists(dir.resolve("components/4.safetensors")));
        assertEquals(OptionalLong.of(1), store.latestVersion());
        store.commitManifest(2, json("{}")); // the state still works
        assertEquals(OptionalLong.of(2), store.latestVersion());
    }

    @ParameterizedTest
    @EnumSource(StoreVariant.class)
    void readingAnAbsentVersionNamesTheFile(StoreVariant variant) {
        StateStore store = variant.open(tmp.resolve("state"));
        store.commitManifest(1, json("{}"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store.readManifest(5));
        assertTrue(e.getMessage().contains("/state/manifest/5.json does not exist"), e.getMessage());
        assertTrue(e.getMessage().contains("latest committed version: 1"), e.getMessage());
    }

    @Test
    void malformedManifestIsRefusedBeforeAnythingIsWritten() {
        Path dir = tmp.resolve("state");
        StateStore store = StoreVariant.FILE_URI.open(dir);
        for (String bad : List.of("", "{\"a\":", "{} {}", "{\"a\":1,\"a\":2}")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> store.commitManifest(1, json(bad)), bad);
            assertTrue(e.getMessage().contains("manifest/1.json"), e.getMessage());
        }
        assertFalse(Files.exists(dir.resolve("manifest")));
        assertEquals(OptionalLong.empty(), store.latestVersion());
    }

    @Test
    void versionsStartAtOne() {
        StateStore store = StoreVariant.FILE_URI.open(tmp.resolve("state"));
        assertThrows(IllegalArgumentException.class, () -> store.commitManifest(0, json("{}")));
        assertThrows(IllegalArgumentException.class, () -> store.readManifest(-1));
        assertThrows(IllegalArgumentException.class, () -> store.writeHistory(0, json("")));
    }

    @Test
    void openingAFileOrNothingIsRefused() throws IOException {
        Path file = Files.write(tmp.resolve("not-a-dir"), new byte[] {1});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StateStore.open(file.toString(), new Configuration(false)));
        assertTrue(e.getMessage().contains("not-a-dir is a file, not a state directory"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> StateStore.open(" ", new Configuration(false)));
    }

    @Test
    void plainRelativePathIsQualifiedAgainstTheWorkingDirectory() {
        StateStore store = StateStore.open("some/relative-state", new Configuration(false));
        Path expected = Paths.get("").toAbsolutePath().resolve("some/relative-state");
        assertEquals("file", store.uri().getScheme());
        assertEquals(expected.toString(), store.uri().getPath());
        assertEquals(OptionalLong.empty(), store.latestVersion()); // reads only: nothing is created
        assertFalse(Files.exists(expected));
    }

    @ParameterizedTest
    @EnumSource(StoreVariant.class)
    void historyIsWrittenBeforeItsManifestAndListedOnceCommitted(StoreVariant variant) throws IOException {
        Path dir = tmp.resolve("state");
        StateStore store = variant.open(dir);
        store.writeHistory(1, json("{\"path\":1}\n"));
        store.commitManifest(1, json("{}"));
        store.writeHistory(2, json("{\"path\":2}\n{\"path\":3}\n"));
        store.commitManifest(2, json("{}"));
        store.writeHistory(3, json("{\"crashed\":true}\n")); // the attempt at version 3 dies here

        assertEquals(List.of(1L, 2L), store.historyVersions());
        assertArrayEquals(json("{\"path\":2}\n{\"path\":3}\n"), store.readHistory(2));

        store.writeHistory(3, json("{\"path\":4}\n")); // the retry replaces the orphan
        store.commitManifest(3, json("{}"));
        assertEquals(List.of(1L, 2L, 3L), store.historyVersions());
        assertArrayEquals(json("{\"path\":4}\n"), store.readHistory(3));

        IllegalStateException committed = assertThrows(IllegalStateException.class,
                () -> store.writeHistory(2, json("{}\n")));
        assertTrue(committed.getMessage().contains("version 2 already committed"), committed.getMessage());
        assertArrayEquals(json("{\"path\":2}\n{\"path\":3}\n"), store.readHistory(2));

        IllegalArgumentException absent = assertThrows(IllegalArgumentException.class, () -> store.readHistory(9));
        assertTrue(absent.getMessage().contains("history/9.jsonl does not exist"), absent.getMessage());
        assertTrue(names(dir.resolve("history")).stream().noneMatch(n -> n.contains(".tmp-")));
    }
}
