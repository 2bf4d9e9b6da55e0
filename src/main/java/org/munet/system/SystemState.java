package org.munet.system;

/**
 * A whole system as the engine takes and returns it (Jenetics' EvolutionStart and EvolutionResult
 * in one value): the live population, where the run stands, and what the system is.
 *
 * @param population the live paths and components
 * @param progress where the system's evolution stands
 * @param identity checksum of the config (and baseline) the system was created with; a state
 *     refuses a run of another config
 * @param rootParams the root model's parameter count (the scorer's P, spec §4)
 * @param continuedFrom the state this system was continued from (its lineage), or null
 */
public record SystemState(Population population, Progress progress, String identity, long rootParams,
        String continuedFrom) {

    public SystemState withPopulation(Population next) {
        return new SystemState(next, progress, identity, rootParams, continuedFrom);
    }

    public SystemState withProgress(Progress next) {
        return new SystemState(population, next, identity, rootParams, continuedFrom);
    }
}
