package org.munet.evolution;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.munet.system.Architecture;
import org.munet.system.Component;
import org.munet.system.ComponentNames;
import org.munet.system.HparamKeys;
import org.munet.system.Hyperparams;
import org.munet.system.ModelDims;
import org.munet.system.PathMetrics;
import org.munet.system.Population;
import org.munet.system.ReferenceDefaults;
import org.munet.system.TaskPath;
import org.munet.testing.PopulationBuilder;

/** Hand-built populations for the policy tests: no tensors, no store. */
final class PolicyFixtures {

    /** The default tiny config: patch 7, 1 channel, width 64, MLP 128, 4 heads (28x28 images). */
    static final ModelDims DIMS = new ModelDims(7, 1, 64, 128, 4);

    private PolicyFixtures() {}

    /** Every hparam key, 3 layers, no adapters, 10 classes, the given mu. */
    static Hyperparams hparams(double mu) {
        Map<String, Object> m = new TreeMap<>(ReferenceDefaults.hparams(28, 3));
        m.put(HparamKeys.MU, mu);
        m.put(HparamKeys.NUM_CLASSES, 10);
        return Hyperparams.of(m);
    }

    static Map<String, Object> dataKeys(Hyperparams h) {
        Map<String, Object> out = new TreeMap<>();
        h.asMap().forEach((k, v) -> {
            if (k.startsWith("ds_")) {
                out.put(k, v);
            }
        });
        return out;
    }

    static PolicySettings settings(Hyperparams defaults, SearchSpace space, boolean mutateAdapters,
            boolean baseline) {
        return new PolicySettings(DIMS, defaults, space, mutateAdapters, Set.of(ComponentNames.ENCODER_NORM),
                baseline);
    }

    // ---- metrics: the canonical constructor in one place ----

    /** Untrained metrics ({@link PathMetrics#none()}) with the given quality. */
    static PathMetrics quality(Double quality) {
        return withQuality(PathMetrics.none(), quality);
    }

    /** {@code m} with another quality, everything else as it was. */
    static PathMetrics withQuality(PathMetrics m, Double quality) {
        return new PathMetrics(quality, m.evals(), m.testQuality(), m.testPredictionsSha256(), m.offsprings(),
                m.offspringsPerTask(), m.generation(), m.improved(), m.newBest(), m.mutations(),
                m.numTrainableParams(), m.trainableParamsRatio(), m.trainingAccountedParams(), m.trainingScore(),
                m.trainSeconds(), m.visitIndex(), m.generationIndex(), m.failure());
    }

    /** {@code m} with other per-task offspring counters (the own-task count {@code offsprings} as it was). */
    static PathMetrics withOffspringsPerTask(PathMetrics m, Map<String, Integer> perTask) {
        return new PathMetrics(m.quality(), m.evals(), m.testQuality(), m.testPredictionsSha256(), m.offsprings(),
                perTask, m.generation(), m.improved(), m.newBest(), m.mutations(), m.numTrainableParams(),
                m.trainableParamsRatio(), m.trainingAccountedParams(), m.trainingScore(), m.trainSeconds(), m.visitIndex(),
                m.generationIndex(), m.failure());
    }

    /** {@code m} at another generation (depth). */
    static PathMetrics withGeneration(PathMetrics m, int generation) {
        return new PathMetrics(m.quality(), m.evals(), m.testQuality(), m.testPredictionsSha256(), m.offsprings(),
                m.offspringsPerTask(), generation, m.improved(), m.newBest(), m.mutations(), m.numTrainableParams(),
                m.trainableParamsRatio(), m.trainingAccountedParams(), m.trainingScore(), m.trainSeconds(), m.visitIndex(),
                m.generationIndex(), m.failure());
    }

    // ---- populations ----

    /** A population holding only a root shaped as {@link #addRoot} makes it. */
    static Population rootOnly(Hyperparams defaults, int rootLayers) {
        PopulationBuilder pop = new PopulationBuilder();
        addRoot(pop, defaults, rootLayers);
        return pop.get();
    }

    /** A root shaped as RootBuilder makes it: rootLayers blocks, no adapters, every component {NOT_TRAINABLE}. */
    static TaskPath addRoot(PopulationBuilder pop, Hyperparams defaults, int rootLayers) {
        Hyperparams shape = defaults.with(HparamKeys.NUM_LAYERS, rootLayers).with(HparamKeys.ADAPTER_LAYERS, "");
        List<Long> ids = new ArrayList<>();
        for (Architecture.Slot s : Architecture.slots(DIMS, shape)) {
            long id = pop.newComponentId();
            pop.addComponent(new Component(id, s.name(), s.shape(), s.parameterCount(), -1, "sha-" + id,
                    Set.of(Component.NOT_TRAINABLE)));
            ids.add(id);
        }
        return pop.addPath(new TaskPath(pop.newPathId(), Component.NOT_TRAINABLE, null, ids, defaults,
                PathMetrics.none()));
    }

    /**
     * A kept path of {@code task} as it stands after its task ended: per slot of {@code h}, the
     * parent's component of the same name and shape is shared unless the name is in {@code own};
     * otherwise a new component is made. Every component then gets the task's lock.
     */
    static TaskPath addKeptPath(PopulationBuilder pop, String task, TaskPath parent, Hyperparams h, double quality,
            Set<String> own) {
        List<Long> ids = new ArrayList<>();
        for (Architecture.Slot s : Architecture.slots(DIMS, h)) {
            Component shared = null;
            for (Component c : pop.componentsOf(parent)) {
                if (c.name().equals(s.name()) && c.shape().equals(s.shape())) {
                    shared = c;
                }
            }
            long id;
            if (shared != null && !own.contains(s.name())) {
                id = shared.id();
            } else {
                id = pop.newComponentId();
                pop.addComponent(new Component(id, s.name(), s.shape(), s.parameterCount(), -1, "sha-" + id,
                        Set.of()));
            }
            pop.lock(id, task);
            ids.add(id);
        }
        PathMetrics m = withGeneration(quality(quality), parent.metrics().generation() + 1);
        return pop.addPath(new TaskPath(pop.newPathId(), task, parent.id(), ids, h, m));
    }

    /** A component-less path (enough for parent sampling, which reads only scores and counters). */
    static TaskPath addBarePath(PopulationBuilder pop, String task, Double quality, Map<String, Integer> offspring) {
        PathMetrics m = withOffspringsPerTask(quality(quality), offspring);
        return pop.addPath(new TaskPath(pop.newPathId(), task, null, List.of(), hparams(0.1), m));
    }

    static Component named(Population pop, TaskPath p, String name) {
        for (Component c : pop.componentsOf(p)) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        throw new AssertionError(p + " has no " + name);
    }
}
