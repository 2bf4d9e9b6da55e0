package org.munet.testing;

import java.util.List;
import org.munet.system.Component;
import org.munet.system.Population;
import org.munet.system.TaskPath;

/**
 * Builds a {@link Population} value step by step for test fixtures, handing out ids as the policy
 * would: each call replaces the held value by the next one.
 */
public final class PopulationBuilder {

    private Population population;

    public PopulationBuilder() {
        this(Population.empty(0, 0));
    }

    public PopulationBuilder(Population start) {
        this.population = start;
    }

    public Population get() {
        return population;
    }

    public void set(Population next) {
        population = next;
    }

    public long newPathId() {
        long id = population.nextPathId();
        population = population.withIdsUsedBelow(id + 1, population.nextComponentId());
        return id;
    }

    public long newComponentId() {
        long id = population.nextComponentId();
        population = population.withIdsUsedBelow(population.nextPathId(), id + 1);
        return id;
    }

    public Component addComponent(Component c) {
        population = population.withComponent(c);
        return c;
    }

    public TaskPath addPath(TaskPath p) {
        population = population.withPath(p);
        return p;
    }

    public void lock(long componentId, String task) {
        population = population.withLock(componentId, task);
    }

    public void setSeeds(List<Long> ids) {
        population = population.withSeeds(ids);
    }

    /** The live value of a path added earlier (its metrics may have changed since). */
    public TaskPath path(long id) {
        return population.path(id);
    }

    public List<Component> componentsOf(TaskPath p) {
        return population.componentsOf(p);
    }
}
