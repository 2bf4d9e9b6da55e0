package org.munet.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TaskNameTest {

    @Test
    void parsesComposedDerivationsLeftToRight() {
        TaskName n = TaskName.parse("mnist/labels:5-9/permuted:7/rot270/inverted");
        assertEquals("mnist", n.base());
        List<String> tokens = n.transforms().stream().map(TaskTransform::token).toList();
        assertEquals(List.of("labels:5-9", "permuted:7", "rot270", "inverted"), tokens);
        assertArrayEquals(new int[] {5, 6, 7, 8, 9},
            ((LabelSubsetTransform) n.transforms().get(0)).keptLabels());
        assertArrayEquals(new int[] {1, 3, 5, 7},
            ((LabelSubsetTransform) TaskName.parse("mnist/labels:1,3,5,7").transforms().get(0)).keptLabels());
        assertInstanceOf(PermuteTransform.class, TaskName.parse("x/permuted:-3").transforms().get(0));
        assertTrue(TaskName.parse("fashion_mnist").transforms().isEmpty());
    }

    @Test
    void unknownDerivationListsKnownOnes() {
        DatasetException e = assertThrows(DatasetException.class, () -> TaskName.parse("mnist/rot45"));
        assertEquals("mnist/rot45: unknown derivation 'rot45'; known: rot90, rot180, rot270, permuted:SEED,"
            + " labels:A-B|labels:A,B,..., inverted", e.getMessage());
    }

    @Test
    void malformedPartsAreNamed() {
        assertMessage("mnist/permuted:x", "bad seed 'x'");
        assertMessage("mnist/labels:5-2", "empty label range 'labels:5-2'");
        assertMessage("mnist/labels:1,1", "label 1 is listed twice");
        assertMessage("mnist/labels:", "malformed 'labels:'");
        assertMessage("mnist/labels:a-b", "malformed 'labels:a-b'");
        assertMessage("mnist//rot90", "empty derivation");
        assertMessage("mnist/", "empty derivation");
        assertMessage("/rot90", "missing base task");
        assertThrows(DatasetException.class, () -> TaskName.parse(" "));
    }

    private static void assertMessage(String name, String fragment) {
        DatasetException e = assertThrows(DatasetException.class, () -> TaskName.parse(name));
        assertTrue(e.getMessage().startsWith(name + ": ") && e.getMessage().contains(fragment), e.getMessage());
    }
}
