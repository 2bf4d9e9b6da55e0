package org.munet.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class StateGarbageTest {

    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(StoreVariant.class)
    void whatAStoppedRunLeftGoesAndCommittedFilesStay(StoreVariant variant) throws IOException {
        TestStates.Built s = TestStates.build(tmp.resolve("state"), variant); // next_component_id 6
        StateStore store = s.store();
        store.putStagedComponent("run-9", 7, new byte[] {7});
        store.putComponentDirect(4, new byte[] {4}); // below next_component_id: nobody's, kept for a human
        store.putComponentDirect(6, new byte[] {6}); // promoted, then the run died before committing
        store.putComponentDirect(7, new byte[] {7});
        Files.write(s.dir().resolve("manifest/.4.json.tmp-abc"), new byte[] {1});
        Files.write(s.dir().resolve(".config.yaml.tmp-def"), new byte[] {1});

        StateGarbage.discardUncommitted(store, SystemManifest.read(store, 3).population());

        assertFalse(Files.exists(s.dir().resolve("staging")));
        assertFalse(Files.exists(s.dir().resolve("manifest/.4.json.tmp-abc")));
        assertFalse(Files.exists(s.dir().resolve(".config.yaml.tmp-def")));
        assertFalse(store.hasComponent(6));
        assertFalse(store.hasComponent(7));
        for (long id = 0; id <= 4; id++) {
            assertTrue(store.hasComponent(id), "component " + id + " stays");
        }
        StateReport after = StateVerifier.verify(store);
        assertEquals(List.of(), after.errors());
        assertEquals(List.of(new Leftover(Leftover.Kind.UNREFERENCED_COMPONENT, store.uri() + "/components/4.safetensors")),
                after.leftovers());
    }

    @Test
    void withoutACommittedVersionEveryComponentFileIsUncommitted() {
        StateStore store = StoreVariant.FILE_URI.open(tmp.resolve("state"));
        store.putComponentDirect(0, new byte[] {0}); // the root of a run that died before its first commit
        store.putComponentDirect(1, new byte[] {1});
        store.putStagedComponent("run-1", 2, new byte[] {2});

        StateGarbage.discardUncommitted(store);

        assertFalse(store.hasComponent(0));
        assertFalse(store.hasComponent(1));
        assertEquals(List.of(), StateVerifier.verify(store).leftovers());
    }
}
