package org.munet.evolution;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import org.munet.system.Architecture;
import org.munet.system.Component;
import org.munet.system.ComponentNames;
import org.munet.system.HparamKeys;
import org.munet.system.Hyperparams;
import org.munet.system.PathMetrics;
import org.munet.system.Population;
import org.munet.system.TaskPath;

/**
 * Builds a child from a parent, applying every mutation (spec §2.4, §3): hyperparameter neighbour
 * moves ({@code _mu_} first, its new value driving the rest), adapter insertion, layer insertion or
 * removal through {@code num_layers}, and per component the ancestor search that decides between
 * sharing a frozen component, cloning it into a trainable copy (layer cloning, probability mu), or
 * creating a fresh one.
 */
public final class ChildBuilder {

    /** Keys whose moves act on a path's structure or optimizer (the rest are per-generation data keys). */
    private static final List<String> STRUCTURAL = List.of(HparamKeys.MU, HparamKeys.NUM_LAYERS, HparamKeys.ADAPTER_DIM);

    private final PolicySettings settings;

    public ChildBuilder(PolicySettings settings) {
        this.settings = settings;
    }

    /**
     * A built child and the population after building it: the child's ids handed out and the
     * parent's offspring counters raised (as soon as a candidate is sampled, so later candidates of
     * the generation see them). The child itself is not in the population until it is kept.
     */
    public record Built(Child child, Population population) {}

    public Built build(Population population, TaskPath parent, String task, int numClasses,
            Map<String, Object> dataHparams, SplittableRandom rng, int visitIndex, int generation) {
        Hyperparams h = parent.hparams().with(HparamKeys.NUM_CLASSES, numClasses).withAll(dataHparams);
        for (Map.Entry<String, List<Object>> range : settings.searchSpace().ranges().entrySet()) {
            String key = range.getKey();
            // The draw happens for every key, data keys too, as in the reference (RNG consumption).
            boolean mutate = doMutate(h.getDouble(HparamKeys.MU), rng);
            if (mutate && (STRUCTURAL.contains(key) || key.startsWith("opt_"))) {
                h = h.with(key, SearchSpace.neighbour(h.get(key), range.getValue(), rng.nextDouble()));
            }
        }
        h = h.with(HparamKeys.ADAPTER_LAYERS, mutateAdapters(h, rng));

        List<Architecture.Slot> slots = Architecture.slots(settings.dims(), h);
        List<ComponentPlan> plans = new ArrayList<>();
        double mu = h.getDouble(HparamKeys.MU);
        // New component ids in slot order, handed out as resolve() decides to clone or create.
        long[] nextComponentId = {population.nextComponentId()};
        for (Architecture.Slot slot : slots) {
            plans.add(resolve(population, parent, slot, mu, rng, nextComponentId));
        }

        Map<String, List<Object>> mutations = new TreeMap<>();
        for (Map.Entry<String, Object> e : h.asMap().entrySet()) {
            Object before = parent.hparams().has(e.getKey()) ? parent.hparams().get(e.getKey()) : null;
            if (!e.getValue().equals(before)) {
                mutations.put(e.getKey(), Arrays.asList(before, e.getValue()));
            }
        }
        List<Long> ids = new ArrayList<>();
        List<Component> reused = new ArrayList<>();
        for (ComponentPlan plan : plans) {
            ids.add(plan.id());
            if (!plan.trainable()) {
                reused.add(population.component(plan.id()));
            }
        }
        long trainable = Child.trainableParams(plans, slots);
        long total = Architecture.parameterCount(slots);
        // New and cloned components have no locks yet: this task alone is charged for them.
        double accounted = Scorer.accountedParams(reused, task) + trainable;
        PathMetrics metrics = PathMetrics.child(parent.metrics().generation() + 1, visitIndex, generation, mutations,
                trainable, trainable / (double) total, accounted);
        long pathId = population.nextPathId();
        TaskPath child = new TaskPath(pathId, task, parent.id(), ids, h, metrics);
        Population after = population.withIdsUsedBelow(pathId + 1, nextComponentId[0]);
        if (after.hasPath(parent.id())) {
            TaskPath live = after.path(parent.id());
            after = after.withUpdatedPath(live.withMetrics(live.metrics().withOffspring(task, task.equals(live.task()))));
        }
        return new Built(new Child(child, plans, slots), after);
    }

    /**
     * Adapter insertion (spec §3.2): for each layer below num_layers, with probability mu add an
     * adapter where there is none; adapters are never removed (the reference's allow_removal is
     * False); adapters at or above num_layers are dropped.
     */
    private String mutateAdapters(Hyperparams h, SplittableRandom rng) {
        TreeSet<Integer> layers = Architecture.adapterLayers(h.getString(HparamKeys.ADAPTER_LAYERS));
        int numLayers = h.getInt(HparamKeys.NUM_LAYERS);
        if (settings.mutateAdapters()) {
            double mu = h.getDouble(HparamKeys.MU);
            for (int i = 0; i < numLayers; i++) {
                if (doMutate(mu, rng) && !layers.contains(i)) {
                    layers.add(i);
                }
            }
        }
        layers.removeIf(i -> i >= numLayers);
        return Architecture.encodeAdapterLayers(layers);
    }

    private ComponentPlan resolve(Population population, TaskPath parent, Architecture.Slot slot, double mu,
            SplittableRandom rng, long[] nextComponentId) {
        String name = slot.name();
        TaskPath ancestor = parent;
        while (ancestor != null) {
            Component c = componentNamed(population, ancestor, name);
            if (c != null) {
                boolean skip = name.equals(ComponentNames.HEAD) && !c.isTrainable();
                if (!skip && !c.shape().equals(slot.shape())) {
                    if (name.equals(ComponentNames.POSEMBED) || name.startsWith(ComponentNames.ADAPTER_PREFIX)
                            || name.equals(ComponentNames.HEAD)) {
                        skip = true;
                    } else {
                        throw new IllegalStateException("component " + c + " has shape " + c.shape()
                                + " but the child needs " + slot.shape());
                    }
                }
                if (!skip) {
                    boolean forceOrMutate = settings.forceFinetune().contains(name) || doMutate(mu, rng);
                    if (c.isTrainable() || forceOrMutate) {
                        return new ComponentPlan(name, nextComponentId[0]++, ComponentPlan.Action.CLONE,
                                c.id(), c.sha256());
                    }
                    return new ComponentPlan(name, c.id(), ComponentPlan.Action.REUSE, c.id(), c.sha256());
                }
            }
            ancestor = ancestor.parentId() == null ? null : population.path(ancestor.parentId());
        }
        boolean creatable = name.equals(ComponentNames.HEAD) || name.equals(ComponentNames.POSEMBED)
                || name.startsWith(ComponentNames.ADAPTER_PREFIX)
                || name.startsWith(ComponentNames.ENCODER_BLOCK_PREFIX);
        if (!creatable) {
            throw new IllegalStateException("no ancestor of " + parent + " has a '" + name
                    + "' component to reuse, and it cannot be created fresh");
        }
        // Deliberate deviation: with no pretrained checkpoint, a position embedding of a new image
        // size is freshly initialised (trainable) rather than resized from the checkpoint.
        return new ComponentPlan(name, nextComponentId[0]++, ComponentPlan.Action.NEW, -1, null);
    }

    private static Component componentNamed(Population population, TaskPath path, String name) {
        for (Component c : population.componentsOf(path)) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        return null;
    }

    /**
     * One mutation decision. The baselines' policy is deterministic: mu 0 never, mu 1 always, any
     * other mu is a configuration error (spec §7).
     */
    boolean doMutate(double mu, SplittableRandom rng) {
        if (settings.baseline()) {
            if (mu == 0.0) {
                return false;
            }
            if (mu == 1.0) {
                return true;
            }
            throw new IllegalStateException("baselines need _mu_ 0 or 1, got " + mu);
        }
        return rng.nextDouble() < mu;
    }
}
