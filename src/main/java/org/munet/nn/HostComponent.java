package org.munet.nn;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One component's tensors in Java memory: its parameters in declaration order and, for components
 * that were trained, the SGD momentum trace of each parameter (µ2Net inherits it, spec §2.5).
 *
 * @param name component name, e.g. {@code encoderblock_0}
 * @param parameters parameter name to values, in the block's declaration order
 * @param momentum parameter name to momentum trace; empty when the component was never trained
 */
public record HostComponent(
        String name, Map<String, HostTensor> parameters, Map<String, HostTensor> momentum) {

    public HostComponent {
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        momentum = Collections.unmodifiableMap(new LinkedHashMap<>(momentum));
        for (String key : momentum.keySet()) {
            if (!parameters.containsKey(key)) {
                throw new IllegalArgumentException(
                        name + ": momentum for unknown parameter '" + key + "'");
            }
        }
    }

    public long parameterCount() {
        return parameters.values().stream().mapToLong(HostTensor::size).sum();
    }

    /** True when parameters and momentum are bitwise equal. */
    public boolean bitwiseEquals(HostComponent other) {
        return name.equals(other.name)
                && parameters.equals(other.parameters)
                && momentum.equals(other.momentum);
    }
}
