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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class StateRepairTest {

    @TempDir
    Path tmp;

    /** Every file under manifest/, components/ and history/ with its content (hidden ones excluded). */
    private static Map<String, String> committedFiles(Path dir) throws IOException {
        Map<String, String> out = new TreeMap<>();
        for (String sub : List.of("manifest", "components", "history")) {
            try (Stream<Path> files = Files.list(dir.resolve(sub))) {
                for (Path f : files.filter(f -> !f.getFileName().toString().startsWith(".")).toList()) {
                    out.put(sub + "/" + f.getFileName(), Sha256.hex(Files.readAllBytes(f)));
                }
            }
        }
        return out;
    }

    private static void leaveCrashLeftovers(TestStates.Built s) throws IOException {
        s.store().putStagedComponent("run-9", 7, new byte[] {7});
        s.store().putStagedComponent("run-9", 8, new byte[] {8});
        s.store().putComponentDirect(6, new byte[] {6});
        s.store().writeHistory(4, "{}\n".getBytes(UTF_8));
        Files.write(s.dir().resolve("components/.9.safetensors.tmp-x"), new byte[] {1});
        Files.write(s.dir().resolve(".config.yaml.tmp-y"), new byte[] {1});
    }

    @ParameterizedTest
    @EnumSource(StoreVariant.class)
    void repairRemovesStagingAndTemporaryFilesOnly(StoreVariant variant) throws IOException {
        TestStates.Built s = TestStates.build(tmp.resolve("state"), variant);
        leaveCrashLeftovers(s);
        Map<String, String> before = committedFiles(s.dir());

        StateReport r = StateRepair.repair(s.store());

        String uri = s.store().uri().toString();
        assertEquals(List.of(
                new Leftover(Leftover.Kind.STAGING, uri + "/staging/run-9/7.safetensors"),
                new Leftover(Leftover.Kind.STAGING, uri + "/staging/run-9/8.safetensors"),
                new Leftover(Leftover.Kind.TEMPORARY, uri + "/.config.yaml.tmp-y"),
                new Leftover(Leftover.Kind.TEMPORARY, uri + "/components/.9.safetensors.tmp-x")), r.removed());
        assertFalse(Files.exists(s.dir().resolve("staging")));
        assertFalse(Files.exists(s.dir().resolve("components/.9.safetensors.tmp-x")));
        assertFalse(Files.exists(s.dir().resolve(".config.yaml.tmp-y")));
        // Everything else stays, the uncommitted component and history included (evolve handles those).
        assertEquals(before, committedFiles(s.dir()));
        assertTrue(Files.exists(s.dir().resolve("components/6.safetensors")));
        assertTrue(Files.exists(s.dir().resolve("config.yaml")));
        assertEquals(List.of(Leftover.Kind.UNCOMMITTED_COMPONENT, Leftover.Kind.UNCOMMITTED_HISTORY),
                r.leftovers().stream().map(Leftover::kind).toList());
        assertTrue(r.healthy());
        assertTrue(r.summary().contains("removed 4 leftovers"), r.summary());
        assertFalse(Files.exists(s.dir().resolve("lock")), "the repair's lock is released");
    }

    @Test
    void repairIsRefusedWhileAnotherRunHoldsTheLock() throws IOException {
        TestStates.Built s = TestStates.build(tmp.resolve("state"));
        leaveCrashLeftovers(s);
        try (RunLock held = RunLock.acquire(s.store(), "evolve")) {
            StateLockedException e = assertThrows(StateLockedException.class, () -> StateRepair.repair(s.store()));
            assertTrue(e.getMessage().contains("is in use by pid " + held.owner().replace("@", " on ")), e.getMessage());
            assertTrue(e.getMessage().contains("(evolve)"), e.getMessage());
        }
        assertTrue(Files.exists(s.dir().resolve("staging/run-9/7.safetensors")), "nothing removed");
        assertTrue(Files.exists(s.dir().resolve(".config.yaml.tmp-y")), "nothing removed");
    }

    @Test
    void aDamagedStateKeepsItsDamagedFilesAndStaysReported() throws IOException {
        TestStates.Built s = TestStates.build(tmp.resolve("state"));
        leaveCrashLeftovers(s);
        Path file = s.dir().resolve("components/1.safetensors");
        Files.write(file, new byte[] {9, 9});
        StateReport r = StateRepair.repair(s.store());
        assertEquals(4, r.removed().size());
        assertEquals(1, r.errors().size(), r.errors().toString());
        assertTrue(r.errors().get(0).contains("/components/1.safetensors is corrupt"), r.errors().get(0));
        assertArrayEquals(new byte[] {9, 9}, Files.readAllBytes(file), "the evidence is not touched");
    }

    @Test
    void repairOfAStateThatDoesNotExistCreatesNothing() {
        StateStore store = StoreVariant.FILE_URI.open(tmp.resolve("typo"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StateRepair.repair(store));
        assertTrue(e.getMessage().contains("no state at " + store.uri()), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("typo")));
    }
}
