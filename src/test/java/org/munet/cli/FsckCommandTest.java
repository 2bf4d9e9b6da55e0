package org.munet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.munet.store.RunLock;
import org.munet.store.TestStates;

class FsckCommandTest {

    @TempDir
    Path tmp;

    private TestStates.Built stateWithAStagingLeftover() {
        TestStates.Built s = TestStates.build(tmp.resolve("state"));
        s.store().putStagedComponent("run-5", 9, new byte[] {9});
        return s;
    }

    private static List<String> lines(String out) {
        return out.lines().toList();
    }

    @Test
    void aHealthyStateExitsZeroAndListsLeftovers() {
        TestStates.Built s = stateWithAStagingLeftover();
        for (String command : List.of("fsck", "check")) { // check is the old name
            CliRun run = CliRun.of(command, "--state", s.dir().toString(), "--full");
            assertEquals(0, run.exitCode(), run.err());
            List<String> lines = lines(run.out());
            assertEquals(2, lines.size(), run.out());
            assertTrue(lines.get(0).contains("version 3 is consistent: 3 versions, 4 component files"), lines.get(0));
            assertTrue(lines.get(0).endsWith("; 1 leftover"), lines.get(0));
            assertTrue(lines.get(1).startsWith("leftover: staging file " + s.store().uri()
                    + "/staging/run-5/9.safetensors"), lines.get(1));
        }
        assertTrue(Files.exists(s.dir().resolve("staging/run-5/9.safetensors")), "a plain fsck removes nothing");
    }

    @Test
    void aDamagedStateExitsOneAndListsTheErrors() throws IOException {
        TestStates.Built s = stateWithAStagingLeftover();
        Files.delete(s.dir().resolve("components/3.safetensors"));
        Files.delete(s.dir().resolve("history/2.jsonl"));
        CliRun run = CliRun.of("fsck", "--state", s.dir().toString());
        assertEquals(1, run.exitCode(), run.out() + run.err());
        List<String> lines = lines(run.out());
        assertTrue(lines.get(0).contains("is damaged: 2 errors in 3 versions"), lines.get(0));
        assertTrue(lines.contains("error: " + s.store().uri() + "/history lacks version 2: every committed version "
                + "keeps its history file, so it was lost; restore from a backup"), run.out());
        assertTrue(lines.contains("error: " + s.store().uri() + "/components/3.safetensors is missing: component 3 is "
                + "referenced by version 3"), run.out());
        assertEquals(4, lines.size(), run.out()); // summary, 2 errors, 1 leftover
    }

    @Test
    void aSecondFsckChecksOnlyWhatWasCommittedSinceTheFirst() throws IOException {
        TestStates.Built s = stateWithAStagingLeftover();
        CliRun first = CliRun.of("fsck", "--state", s.dir().toString());
        assertEquals(0, first.exitCode(), first.err());
        assertTrue(lines(first.out()).get(0).contains("3 versions, 4 component files"), first.out()); // no record yet
        assertTrue(Files.exists(s.dir().resolve("fsck.json")), "a healthy check is recorded");

        CliRun second = CliRun.of("fsck", "--state", s.dir().toString());
        assertEquals(0, second.exitCode(), second.err());
        String summary = lines(second.out()).get(0);
        assertTrue(summary.contains("1 version, 0 component files (0 bytes) checked (incremental: nothing committed"
                + " since the last check; the latest version's files listed; --full checks everything)"), summary);

        // What the latest version needs is still checked to exist, by one listing.
        Files.delete(s.dir().resolve("components/3.safetensors"));
        CliRun third = CliRun.of("fsck", "--state", s.dir().toString());
        assertEquals(1, third.exitCode(), third.out());
        assertTrue(third.out().contains("/components/3.safetensors is missing: component 3 is referenced by version 3"),
                third.out());
    }

    @Test
    void repairPrintsWhatItRemoved() {
        TestStates.Built s = stateWithAStagingLeftover();
        CliRun run = CliRun.of("fsck", "--state", s.dir().toString(), "--repair");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("removed 1 leftover"), run.out());
        assertTrue(run.out().contains("removed: staging file " + s.store().uri() + "/staging/run-5/9.safetensors"),
                run.out());
        assertFalse(run.out().contains("leftover: "), run.out());
        assertFalse(Files.exists(s.dir().resolve("staging")));
    }

    @Test
    void repairIsRefusedWhileTheStateIsLocked() {
        TestStates.Built s = stateWithAStagingLeftover();
        try (RunLock held = RunLock.acquire(s.store(), "evolve")) {
            CliRun run = CliRun.of("fsck", "--state", s.dir().toString(), "--repair");
            assertEquals(2, run.exitCode());
            assertTrue(run.err().contains("munet fsck: " + s.store().uri() + " is in use by pid "), run.err());
        }
        assertTrue(Files.exists(s.dir().resolve("staging/run-5/9.safetensors")));
    }

    @Test
    void jsonOutputCarriesTheReport() throws IOException {
        TestStates.Built s = stateWithAStagingLeftover();
        Files.write(s.dir().resolve("components/0.safetensors"), new byte[] {0});
        CliRun run = CliRun.of("fsck", "--state", s.dir().toString(), "--json");
        assertEquals(1, run.exitCode(), run.err());
        JsonNode report = new ObjectMapper().readTree(run.out());
        assertFalse(report.get("healthy").asBoolean());
        assertEquals(3, report.get("versions").asInt());
        assertEquals(1, report.get("errors").size());
        assertTrue(report.get("errors").get(0).asText().contains("/components/0.safetensors is corrupt"), run.out());
        assertEquals("staging", report.get("leftovers").get(0).get("kind").asText());
        assertTrue(report.get("leftovers").get(0).get("removed_by_repair").asBoolean());
    }

    @Test
    void aStateThatDoesNotExistIsAUserError() {
        CliRun run = CliRun.of("fsck", "--state", tmp.resolve("typo").toString(), "--repair");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("no state at "), run.err());
        assertFalse(Files.exists(tmp.resolve("typo")));
    }
}
