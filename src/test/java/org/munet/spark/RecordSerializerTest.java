package org.munet.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.awt.Point;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Any record round-trips through its components and canonical constructor; registration stays required. */
class RecordSerializerTest {

    enum Colour { RED, GREEN { } }

    record Leaf(String name, Colour colour, double weight) {}

    record Tree(long id, Leaf first, List<Leaf> leaves, Map<String, Object> attributes, SortedMap<Integer, String> sorted,
            List<List<Integer>> grid, Set<String> tags, Integer boxed, Object anything, char mark, byte b, short s,
            float f, boolean flag) {}

    record Checked(int positive) {
        Checked {
            if (positive <= 0) {
                throw new IllegalArgumentException("positive must be > 0, got " + positive);
            }
        }
    }

    record Holder(Object value) {}

    private static Kryo kryo() {
        Kryo kryo = new Kryo();
        // As Spark's KryoSerializer configures it with spark.kryo.registrationRequired=true.
        kryo.setRegistrationRequired(true);
        kryo.setReferences(true);
        kryo.register(Colour.class);
        kryo.register(Leaf.class, new RecordSerializer<>(Leaf.class));
        kryo.register(Tree.class, new RecordSerializer<>(Tree.class));
        kryo.register(Checked.class, new RecordSerializer<>(Checked.class));
        kryo.register(Holder.class, new RecordSerializer<>(Holder.class));
        return kryo;
    }

    private static byte[] write(Kryo kryo, Object value) {
        Output out = new Output(256, -1);
        kryo.writeClassAndObject(out, value);
        return out.toBytes();
    }

    private static Object read(Kryo kryo, byte[] bytes) {
        return kryo.readClassAndObject(new Input(bytes));
    }

    @Test
    void nestedRecordsCollectionsAndNullsRoundTrip() {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("z", 0.5);
        attributes.put("a", 3);
        attributes.put("on", true);
        attributes.put("name", "cosine");
        attributes.put("missing", null);
        List<Leaf> leaves = Arrays.asList(new Leaf("b", Colour.GREEN, -0.0), null, new Leaf(null, null, Double.NaN));
        Tree tree = new Tree(7, new Leaf("a", Colour.RED, 1.5), leaves, attributes, new TreeMap<>(Map.of(2, "x", 1, "y")),
                List.of(List.of(1, 2), List.of(), Collections.singletonList(null)), Set.of("t"), null, 42L, 'µ',
                (byte) -3, (short) 300, 2.5f, true);
        Kryo kryo = kryo();
        Tree back = (Tree) read(kryo, write(kryo, tree));
        assertEquals(tree, back);
        assertEquals(List.of("z", "a", "on", "name", "missing"), new ArrayList<>(back.attributes().keySet()),
                "a map arrives in the sender's iteration order");
        assertInstanceOf(TreeMap.class, back.sorted(), "a sorted map arrives sorted");
        assertInstanceOf(Long.class, back.anything(), "an Object component keeps its class");

        Tree empty = new Tree(0, null, null, null, null, null, null, 1, null, 'a', (byte) 0, (short) 0, 0f, false);
        Tree emptyBack = (Tree) read(kryo, write(kryo, empty));
        assertEquals(empty, emptyBack);
        assertNull(emptyBack.leaves());
        assertNull(emptyBack.attributes());
    }

    @Test
    void theCanonicalConstructorValidatesWhatArrives() {
        Kryo kryo = kryo();
        byte[] bytes = write(kryo, new Checked(1));
        bytes[bytes.length - 1] = 0; // the int's last byte: Checked(0)
        KryoException e = assertThrows(KryoException.class, () -> read(kryo, bytes));
        assertInstanceOf(IllegalArgumentException.class, e.getCause());
    }

    @Test
    void unregisteredClassesAreRefusedAtTopLevelAndInside() {
        Kryo kryo = kryo();
        IllegalArgumentException top = assertThrows(IllegalArgumentException.class, () -> write(kryo, new Point(1, 2)));
        assertTrue(top.getMessage().contains("Class is not registered"), top.getMessage());
        IllegalArgumentException inside = assertThrows(IllegalArgumentException.class,
                () -> write(kryo, new Holder(new Point(1, 2))));
        assertTrue(inside.getMessage().contains("java.awt.Point"), inside.getMessage());
    }

    @Test
    void onlyRecordsAreAccepted() {
        @SuppressWarnings({"unchecked", "rawtypes"})
        Class<Record> notARecord = (Class) Point.class;
        assertThrows(IllegalArgumentException.class, () -> new RecordSerializer<>(notARecord));
    }
}
