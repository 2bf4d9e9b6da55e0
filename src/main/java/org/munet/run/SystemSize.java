package org.munet.run;

import org.munet.system.Component;
import org.munet.system.Population;

/**
 * How big one system version is, recorded in its history ({"system": ...}): the report's growth
 * chart reads these lines, since a state keeps only some versions' manifests.
 *
 * @param tasks tasks with a live path
 * @param paths live paths
 * @param components live components
 * @param params parameters stored in the live components
 */
@com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true) // the line also says how the manifest was written
public record SystemSize(int tasks, int paths, int components, long params) {

    public static SystemSize of(Population population) {
        return new SystemSize(population.tasks().size(), population.paths().size(), population.components().size(),
                population.components().stream().mapToLong(Component::parameterCount).sum());
    }
}
