package org.munet.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One µ2Net component (spec §1.1) as a DJL block: it owns its parameters, their momentum trace and
 * the native memory behind both.
 *
 * <p>A component is either trainable or frozen. A frozen component may be placed in several
 * {@link PathModel}s at once, also in models training concurrently on different threads: nothing
 * ever writes to it, and its arrays do not require gradients. A trainable component belongs to one
 * model at a time (µ2Net never shares a trainable component, spec §2.4).
 *
 * <p>Every component maps one activation to the next ({@link #apply}), so a path is a plain
 * sequence of components.
 */
public abstract class ComponentBlock extends AbstractBlock implements AutoCloseable {

    private static final byte VERSION = 1;
    private static final AtomicLong INSTANCES = new AtomicLong();

    /** Unique per instance in this JVM: what cached prefix activations name a component by. */
    private final long instanceId = INSTANCES.incrementAndGet();

    private final String componentName;
    private final Map<String, Shape> declaredShapes = new LinkedHashMap<>();
    private final Map<String, Parameter> params = new LinkedHashMap<>();
    /** Momentum trace per parameter; absent until the component is first trained. */
    private final Map<String, NDArray> momentum = new LinkedHashMap<>();
    private NDManager manager;
    private boolean trainable = true;

    protected ComponentBlock(String componentName) {
        super(VERSION);
        this.componentName = componentName;
    }

    /** Declares a parameter; subclasses call this in their constructor, in a fixed order. */
    protected final Parameter declare(String name, Shape shape) {
        Parameter p = addParameter(Parameter.builder()
                .setName(name)
                .setType(Parameter.Type.OTHER)
                .build());
        declaredShapes.put(name, shape);
        params.put(name, p);
        return p;
    }

    /** Fresh values for every declared parameter, in declaration order (the reference's inits). */
    protected abstract Map<String, float[]> initialValues(SplittableRandom rng);

    /** The component's function: one activation in, the next out. */
    public abstract NDArray apply(NDArray x);

    public String componentName() {
        return componentName;
    }

    /**
     * This instance's number, unique in the JVM. A frozen instance never changes its values, so
     * equal numbers of frozen components mean equal functions ({@link PrefixCache}).
     */
    public long instanceId() {
        return instanceId;
    }

    /**
     * Allocates the parameters with their reference initialisation, drawn from a seed that depends
     * only on {@code seed} and the component's name: every new component of one name starts from
     * the same values, as in µ2Net (spec §1.1).
     */
    public void initializeParameters(NDManager parent, long seed) {
        Map<String, float[]> values = initialValues(Inits.forComponent(seed, componentName));
        Map<String, HostTensor> host = new LinkedHashMap<>();
        for (Map.Entry<String, Shape> e : declaredShapes.entrySet()) {
            float[] v = values.get(e.getKey());
            if (v == null) {
                throw new IllegalStateException(componentName + ": no initial value for " + e.getKey());
            }
            host.put(e.getKey(), new HostTensor(e.getValue().getShape(), v));
        }
        load(parent, new HostComponent(componentName, host, Map.of()));
    }

    /**
     * Allocates the parameters (and momentum, if any) from host values. Shapes must match the
     * declared ones exactly; a mismatch names the component, parameter and both shapes.
     */
    public void load(NDManager parent, HostComponent host) {
        if (manager != null) {
            throw new IllegalStateException(componentName + " is already loaded");
        }
        if (!host.name().equals(componentName)) {
            throw new IllegalArgumentException(
                    "cannot load component '" + host.name() + "' into '" + componentName + "'");
        }
        if (!host.parameters().keySet().equals(declaredShapes.keySet())) {
            throw new IllegalArgumentException(componentName + ": expected parameters "
                    + declaredShapes.keySet() + ", got " + host.parameters().keySet());
        }
        for (Map.Entry<String, Shape> e : declaredShapes.entrySet()) {
            Shape got = new Shape(host.parameters().get(e.getKey()).shape());
            if (!got.equals(e.getValue())) {
                throw new IllegalArgumentException(componentName + "." + e.getKey()
                        + ": expected shape " + e.getValue() + ", got " + got);
            }
        }
        manager = parent.newSubManager();
        manager.setName(componentName);
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            HostTensor t = host.parameters().get(e.getKey());
            NDArray array = BatchArrays.aligned(manager.create(t.values(), new Shape(t.shape())));
            // Loading may happen inside a training step's scope; the component outlives it.
            NDScope.unregister(array);
            e.getValue().setArray(array);
        }
        for (Map.Entry<String, HostTensor> e : host.momentum().entrySet()) {
            HostTensor t = e.getValue();
            NDArray trace = BatchArrays.aligned(manager.create(t.values(), new Shape(t.shape())));
            NDScope.unregister(trace);
            momentum.put(e.getKey(), trace);
        }
        setTrainable(trainable);
    }

    /** Copies parameters and momentum to Java memory. */
    public HostComponent toHost() {
        Map<String, HostTensor> p = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            p.put(e.getKey(), toHostTensor(e.getValue().getArray()));
        }
        Map<String, HostTensor> m = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : momentum.entrySet()) {
            m.put(e.getKey(), toHostTensor(e.getValue()));
        }
        return new HostComponent(componentName, p, m);
    }

    /** An unallocated block of the same kind, name and shapes. */
    protected abstract ComponentBlock emptyTwin();

    /**
     * A trainable copy: same parameters and momentum in its own native memory (the reference's
     * {@code Component.clone}, spec §1.2).
     */
    public ComponentBlock copyTo(NDManager parent) {
        ComponentBlock copy = emptyTwin();
        copy.load(parent, toHost());
        copy.setTrainable(true);
        return copy;
    }

    /** Frozen components get no gradient; trainable ones require it. */
    public void setTrainable(boolean trainable) {
        this.trainable = trainable;
        if (manager != null) {
            for (Parameter p : params.values()) {
                p.freeze(!trainable);
            }
        }
    }

    public boolean isTrainable() {
        return trainable;
    }

    /** The native parameter arrays in declaration order (the optimizer updates them in place). */
    public List<NDArray> parameterArrays() {
        List<NDArray> out = new ArrayList<>();
        for (Parameter p : params.values()) {
            out.add(p.getArray());
        }
        return out;
    }

    /**
     * The declared shape of each parameter, in declaration order: what {@link #load} accepts, known
     * before anything is allocated (an export reader checks a file's tensors against it).
     */
    public Map<String, long[]> parameterShapes() {
        Map<String, long[]> out = new LinkedHashMap<>();
        declaredShapes.forEach((name, shape) -> out.put(name, shape.getShape()));
        return out;
    }

    List<String> parameterNames() {
        return new ArrayList<>(params.keySet());
    }

    /** The momentum trace of a parameter, or null before the component is first trained. */
    NDArray momentum(String parameterName) {
        return momentum.get(parameterName);
    }

    /** Replaces a momentum trace; the component takes ownership of {@code trace}. */
    void setMomentum(String parameterName, NDArray trace) {
        NDScope.unregister(trace);
        trace.attach(manager);
        NDArray old = momentum.put(parameterName, trace);
        if (old != null && old != trace) {
            old.close();
        }
    }

    public long parameterCount() {
        return declaredShapes.values().stream().mapToLong(Shape::size).sum();
    }

    protected final NDArray value(Parameter p) {
        return p.getArray();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        return new NDList(apply(inputs.singletonOrThrow()));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }

    @Override
    public void close() {
        if (manager != null) {
            manager.close();
            manager = null;
        }
    }

    private static HostTensor toHostTensor(NDArray array) {
        NDArray f = array.getDataType() == DataType.FLOAT32 ? array : array.toType(DataType.FLOAT32, false);
        try {
            return new HostTensor(array.getShape().getShape(), f.toFloatArray());
        } finally {
            if (f != array) {
                f.close();
            }
        }
    }

    @Override
    public String toString() {
        return componentName + (trainable ? " (trainable)" : " (frozen)");
    }
}
