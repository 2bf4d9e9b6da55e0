package org.munet.spark;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * How one value of a declared type crosses the wire inside a {@link RecordSerializer}: primitives
 * and strings directly; lists, sets and maps declared by their interface as a size and their
 * elements, so that what the JDK's {@code List.of} or {@code Collections.unmodifiableMap} happen to
 * be (internal classes Kryo can neither register nor instantiate) never reaches the wire; values of
 * a final declared type (records, enums, boxed numbers) by that type's registered serializer, with
 * no class on the wire; any other value with its class, which must then be registered.
 *
 * <p>Collections arrive as {@link ArrayList}, {@link LinkedHashSet} or {@link LinkedHashMap} in the
 * sender's iteration order, or as {@link TreeSet} / {@link TreeMap} where the declared type is
 * sorted (natural order: a comparator cannot cross the wire).
 */
final class WireCodec {

    private interface Writer {
        void write(Kryo kryo, Output out, Object value);
    }

    private interface Reader {
        Object read(Kryo kryo, Input in);
    }

    private final Writer writer;
    private final Reader reader;

    private WireCodec(Writer writer, Reader reader) {
        this.writer = writer;
        this.reader = reader;
    }

    void write(Kryo kryo, Output out, Object value) {
        writer.write(kryo, out, value);
    }

    Object read(Kryo kryo, Input in) {
        return reader.read(kryo, in);
    }

    static WireCodec of(Type declared) {
        Class<?> raw = raw(declared);
        if (raw.isPrimitive()) {
            return primitive(raw);
        } else if (raw == String.class) {
            return new WireCodec((k, o, v) -> o.writeString((String) v), (k, i) -> i.readString());
        } else if (raw == List.class || raw == Collection.class) {
            return collection(of(argument(declared, 0)), ArrayList::new);
        } else if (raw == SortedSet.class || raw == NavigableSet.class) {
            return collection(of(argument(declared, 0)), TreeSet::new);
        } else if (raw == Set.class) {
            return collection(of(argument(declared, 0)), LinkedHashSet::new);
        } else if (raw == SortedMap.class || raw == NavigableMap.class) {
            return map(of(argument(declared, 0)), of(argument(declared, 1)), TreeMap::new);
        } else if (raw == Map.class) {
            return map(of(argument(declared, 0)), of(argument(declared, 1)), LinkedHashMap::new);
        } else if (Modifier.isFinal(raw.getModifiers()) || raw.isEnum()) {
            return new WireCodec((k, o, v) -> k.writeObjectOrNull(o, v, raw), (k, i) -> k.readObjectOrNull(i, raw));
        }
        return new WireCodec(Kryo::writeClassAndObject, Kryo::readClassAndObject);
    }

    /** Size plus one (zero is null), then the elements. */
    private static WireCodec collection(WireCodec element, Supplier<Collection<Object>> empty) {
        return new WireCodec((kryo, out, value) -> {
            if (value == null) {
                out.writeVarInt(0, true);
                return;
            }
            Collection<?> c = (Collection<?>) value;
            out.writeVarInt(c.size() + 1, true);
            for (Object e : c) {
                element.write(kryo, out, e);
            }
        }, (kryo, in) -> {
            int size = in.readVarInt(true) - 1;
            if (size < 0) {
                return null;
            }
            Collection<Object> c = empty.get();
            for (int i = 0; i < size; i++) {
                c.add(element.read(kryo, in));
            }
            return c;
        });
    }

    /** Size plus one (zero is null), then key and value of each entry. */
    private static WireCodec map(WireCodec key, WireCodec value, Supplier<Map<Object, Object>> empty) {
        return new WireCodec((kryo, out, v) -> {
            if (v == null) {
                out.writeVarInt(0, true);
                return;
            }
            Map<?, ?> m = (Map<?, ?>) v;
            out.writeVarInt(m.size() + 1, true);
            for (Map.Entry<?, ?> e : m.entrySet()) {
                key.write(kryo, out, e.getKey());
                value.write(kryo, out, e.getValue());
            }
        }, (kryo, in) -> {
            int size = in.readVarInt(true) - 1;
            if (size < 0) {
                return null;
            }
            Map<Object, Object> m = empty.get();
            for (int i = 0; i < size; i++) {
                Object k = key.read(kryo, in);
                m.put(k, value.read(kryo, in));
            }
            return m;
        });
    }

    private static WireCodec primitive(Class<?> type) {
        if (type == int.class) {
            return new WireCodec((k, o, v) -> o.writeInt((Integer) v), (k, i) -> i.readInt());
        } else if (type == long.class) {
            return new WireCodec((k, o, v) -> o.writeLong((Long) v), (k, i) -> i.readLong());
        } else if (type == double.class) {
            return new WireCodec((k, o, v) -> o.writeDouble((Double) v), (k, i) -> i.readDouble());
        } else if (type == boolean.class) {
            return new WireCodec((k, o, v) -> o.writeBoolean((Boolean) v), (k, i) -> i.readBoolean());
        } else if (type == float.class) {
            return new WireCodec((k, o, v) -> o.writeFloat((Float) v), (k, i) -> i.readFloat());
        } else if (type == short.class) {
            return new WireCodec((k, o, v) -> o.writeShort((Short) v), (k, i) -> i.readShort());
        } else if (type == byte.class) {
            return new WireCodec((k, o, v) -> o.writeByte((Byte) v), (k, i) -> i.readByte());
        }
        return new WireCodec((k, o, v) -> o.writeChar((Character) v), (k, i) -> i.readChar());
    }

    /** The class a declared type erases to; a type variable or wildcard by its (first) upper bound. */
    private static Class<?> raw(Type t) {
        if (t instanceof Class<?> c) {
            return c;
        } else if (t instanceof ParameterizedType p) {
            return raw(p.getRawType());
        } else if (t instanceof WildcardType w) {
            return raw(w.getUpperBounds()[0]);
        } else if (t instanceof TypeVariable<?> v) {
            return raw(v.getBounds()[0]);
        }
        // A generic array (T[]): its class travels with it.
        return Object.class;
    }

    /** A collection's element (or a map's key or value) type; Object for a raw collection. */
    private static Type argument(Type t, int index) {
        return t instanceof ParameterizedType p ? p.getActualTypeArguments()[index] : Object.class;
    }
}
