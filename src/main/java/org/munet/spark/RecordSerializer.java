package org.munet.spark;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;

/**
 * Writes a record as its components, in declaration order, and reads it back through its canonical
 * constructor. The wire format of a record thus follows its declaration: adding, removing or
 * reordering a component needs no serializer change, only the registration of any record or enum
 * class the new component brings (registration stays required). The canonical constructor runs on
 * the receiving side too, so a record's validation holds for what arrives.
 *
 * <p>Kryo 4 (the version Spark ships) predates records: its field serializer would need to write
 * their final fields and bypass the constructor. Driver and executors run the same build, so the
 * format need not be stable across versions of munet, only between the two ends of one job.
 */
public final class RecordSerializer<T extends Record> extends Serializer<T> {

    private final Class<T> type;
    private final Method[] accessors;
    private final WireCodec[] codecs;
    private final Constructor<T> canonical;

    public RecordSerializer(Class<T> type) {
        // Records are values: no nulls at this level (Kryo writes those), and copy may share them.
        super(false, true);
        if (!type.isRecord()) {
            throw new IllegalArgumentException(type.getName() + " is not a record");
        }
        this.type = type;
        RecordComponent[] components = type.getRecordComponents();
        accessors = new Method[components.length];
        codecs = new WireCodec[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            accessors[i] = components[i].getAccessor();
            // Records nested in non-public classes (tests, private helpers) have non-public accessors.
            accessors[i].setAccessible(true);
            Type declared = components[i].getGenericType();
            codecs[i] = WireCodec.of(declared);
            types[i] = components[i].getType();
        }
        try {
            canonical = type.getDeclaredConstructor(types);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(type.getName() + " has no canonical constructor", e);
        }
        canonical.setAccessible(true);
    }

    @Override
    public void write(Kryo kryo, Output out, T record) {
        for (int i = 0; i < accessors.length; i++) {
            Object value;
            try {
                value = accessors[i].invoke(record);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new KryoException("cannot read " + type.getName() + "." + accessors[i].getName(), e);
            }
            codecs[i].write(kryo, out, value);
        }
    }

    @Override
    public T read(Kryo kryo, Input in, Class<T> ignored) {
        Object[] values = new Object[codecs.length];
        for (int i = 0; i < codecs.length; i++) {
            values[i] = codecs[i].read(kryo, in);
        }
        try {
            return canonical.newInstance(values);
        } catch (InvocationTargetException e) {
            throw new KryoException("cannot rebuild " + type.getName() + ": " + e.getCause(), e.getCause());
        } catch (InstantiationException | IllegalAccessException e) {
            throw new KryoException("cannot rebuild " + type.getName(), e);
        }
    }
}
