package org.munet.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A copy of one trainable component's parameters and momentum kept on the engine's device (no
 * round trip through Java memory), so the best validation checkpoint can be restored (spec §2.6).
 */
final class HostlessSnapshot implements AutoCloseable {

    private final List<NDArray> params;
    private final Map<String, NDArray> momentum;

    private HostlessSnapshot(List<NDArray> params, Map<String, NDArray> momentum) {
        this.params = params;
        this.momentum = momentum;
    }

    static HostlessSnapshot of(ComponentBlock component, NDManager owner) {
        List<NDArray> params = new ArrayList<>();
        try (GradMode off = GradMode.disabled()) {
            for (NDArray p : component.parameterArrays()) {
                params.add(keep(p.duplicate(), owner));
            }
            Map<String, NDArray> momentum = new LinkedHashMap<>();
            for (String name : component.parameterNames()) {
                NDArray m = component.momentum(name);
                if (m != null) {
                    momentum.put(name, keep(m.duplicate(), owner));
                }
            }
            return new HostlessSnapshot(params, momentum);
        }
    }

    /** Puts the snapshot back; the snapshot's arrays move into the component. */
    void restoreInto(ComponentBlock component) {
        List<NDArray> live = component.parameterArrays();
        for (int i = 0; i < live.size(); i++) {
            // intern swaps the native tensor behind the parameter's NDArray and frees the old one.
            live.get(i).intern(params.get(i));
        }
        params.clear();
        for (Map.Entry<String, NDArray> e : momentum.entrySet()) {
            component.setMomentum(e.getKey(), e.getValue());
        }
        momentum.clear();
        // The snapshot copies do not require gradients; the parameters must again.
        component.setTrainable(component.isTrainable());
    }

    private static NDArray keep(NDArray array, NDManager owner) {
        NDScope.unregister(array);
        array.attach(owner);
        return array;
    }

    @Override
    public void close() {
        params.forEach(NDArray::close);
        momentum.values().forEach(NDArray::close);
    }
}
