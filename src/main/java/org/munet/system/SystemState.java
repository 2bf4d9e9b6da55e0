package org.munet.system;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A whole system as the engine takes and returns it (Jenetics' EvolutionStart and EvolutionResult
 * in one value): the live population, where the run stands, and what the system is.
 *
 * @param population the live paths and components
 * @param progress where the system's evolution stands
 * @param identity checksum of the config (and baseline) the system was created with, followed by
 *     {@code +root-sha256:<checksum>} when its root was imported from a pretrained checkpoint; a state
 *     refuses a run of another config or root
 * @param rootParams the root model's parameter count (the scorer's P, spec §4)
 * @param continuedFrom the state this system was continued from (its lineage), or null
 * @param classNames per task, its class names in label order, recorded when the task entered the
 *     system (so that predictions can name classes); empty for states written before they were kept
 */
public record SystemState(Population population, Progress progress, String identity, long rootParams,
        String continuedFrom, Map<String, List<String>> classNames) {

    public SystemState {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        classNames.forEach((task, names) -> copy.put(task, List.copyOf(names)));
        classNames = java.util.Collections.unmodifiableMap(copy);
    }

    /** A system without recorded class names. */
    public SystemState(Population population, Progress progress, String identity, long rootParams,
            String continuedFrom) {
        this(population, progress, identity, rootParams, continuedFrom, Map.of());
    }

    public SystemState withPopulation(Population next) {
        return new SystemState(next, progress, identity, rootParams, continuedFrom, classNames);
    }

    public SystemState withProgress(Progress next) {
        return new SystemState(population, next, identity, rootParams, continuedFrom, classNames);
    }

    /** This system with {@code task}'s class names recorded (replacing any earlier record). */
    public SystemState withClassNames(String task, List<String> names) {
        Map<String, List<String>> next = new LinkedHashMap<>(classNames);
        next.put(task, names);
        return new SystemState(population, progress, identity, rootParams, continuedFrom, next);
    }
}
