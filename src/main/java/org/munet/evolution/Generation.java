package org.munet.evolution;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.munet.system.Architecture;
import org.munet.system.Component;
import org.munet.system.PathMetrics;
import org.munet.system.Population;
import org.munet.system.TaskPath;

/**
 * One generation of a task iteration (spec §2.2-§2.6) as two pure steps around the training:
 * {@link #sample} draws the data hyperparameters, parents and children from a population and
 * returns the candidates' specs with the population sampling left behind; {@link #keep} pairs the
 * trained results with their candidates by path id, applies the keep rule and returns the next
 * population. Nothing is changed in place, so the same (population, random stream) always gives the
 * same generation, which is what lets a resumed run repeat an uninterrupted one.
 */
final class Generation {

    private final EngineSettings settings;
    private final Scorer scorer;
    private final ParentSampler parents;
    private final ChildBuilder children;
    private final DataHparamSampler dataHparams;

    Generation(EngineSettings settings, Scorer scorer) {
        this.settings = settings;
        this.scorer = scorer;
        this.parents = new ParentSampler(scorer, settings.policy().baseline());
        this.children = new ChildBuilder(settings.policy());
        this.dataHparams = new DataHparamSampler(settings.policy(), scorer);
    }

    /**
     * The sampled candidates, in order, and the population after sampling them (their ids handed
     * out, the parents' offspring counters raised, the seeds rotated).
     *
     * @param bestBefore id of the task's best path before the generation, or null
     */
    record Sampled(String task, Population population, Long bestBefore, List<Child> children,
            List<CandidateSpec> specs) {}

    /**
     * What the generation leaves: the next population, every path it created (kept or not, for the
     * history) and the components of the kept ones (their staged files are promoted).
     */
    record Kept(Population population, List<TaskPath> created, List<Component> components, int keptCount,
            List<String> rejections, double trainSeconds, double overheadSeconds) {}

    Sampled sample(Population population, TaskSpec task, int visitIndex, int generation, SplittableRandom rng) {
        TaskPath bestBefore = bestPath(population, task.name());
        Map<String, Object> ds = dataHparams.sample(population, task.name(), rng);
        long dataSeed = EvolutionEngine.mix(settings.seed(), visitIndex, generation, 1);
        Population pop = population;
        List<Child> batch = new ArrayList<>();
        List<CandidateSpec> specs = new ArrayList<>();
        for (int i = 0; i < settings.candidatesPerGeneration(); i++) {
            ParentSampler.Pick pick = parents.sample(pop, task.name(), rng);
            ChildBuilder.Built built = children.build(pick.population(), pick.parent(), task.name(),
                    task.numClasses(), ds, rng, visitIndex, generation);
            KeepRule keep = scorer.keepRule(pop, pick.parent(), task.name(),
                    built.child().path().metrics().trainingAccountedParams());
            pop = built.population();
            batch.add(built.child());
            specs.add(spec(task, built.child(), dataSeed, keep));
        }
        return new Sampled(task.name(), pop, bestBefore == null ? null : bestBefore.id(), batch, specs);
    }

    Kept keep(Sampled sampled, List<CandidateResult> results) {
        Map<Long, CandidateResult> byPath = pairByPath(sampled, results);
        Population pop = sampled.population();
        List<TaskPath> created = new ArrayList<>();
        List<Component> kept = new ArrayList<>();
        List<String> rejections = new ArrayList<>();
        double trainSum = 0;
        double overheadSum = 0;
        for (int i = 0; i < sampled.children().size(); i++) {
            Child child = sampled.children().get(i);
            CandidateResult r = byPath.get(child.path().id());
            if (r.failure() != null) {
                rejections.add("path " + child.path().id() + ": " + r.failure());
            }
            TaskPath path = child.path().withMetrics(trained(child, sampled.specs().get(i).keep(), r));
            trainSum += r.trainSeconds();
            overheadSum += r.workerSeconds() - r.trainSeconds();
            created.add(path);
            if (path.metrics().improved()) {
                for (Component c : newComponents(child, r)) {
                    pop = pop.withComponent(c);
                    kept.add(c);
                }
                pop = pop.withPath(path);
            }
        }
        TaskPath bestAfter = bestPath(pop, sampled.task());
        if (bestAfter != null && !Long.valueOf(bestAfter.id()).equals(sampled.bestBefore())) {
            TaskPath marked = bestAfter.withMetrics(bestAfter.metrics().asNewBest());
            pop = pop.withUpdatedPath(marked);
            created.replaceAll(p -> p.id() == marked.id() ? marked : p);
        }
        int n = sampled.children().size();
        int keptCount = (int) created.stream().filter(p -> p.metrics().improved()).count();
        return new Kept(pop, created, kept, keptCount, rejections, trainSum / n, overheadSum / n);
    }

    private TaskPath bestPath(Population population, String task) {
        return population.bestPath(task, path -> scorer.score(population, path));
    }

    /** One result per candidate, matched by path id: a runner that loses or invents one is a bug. */
    private static Map<Long, CandidateResult> pairByPath(Sampled sampled, List<CandidateResult> results) {
        Map<Long, CandidateResult> byPath = new HashMap<>();
        for (CandidateResult r : results) {
            if (byPath.put(r.pathId(), r) != null) {
                throw new IllegalStateException("the runner returned two results for candidate path " + r.pathId());
            }
        }
        for (Child child : sampled.children()) {
            if (!byPath.containsKey(child.path().id())) {
                throw new IllegalStateException("the runner returned no result for candidate path "
                        + child.path().id() + " (results for paths " + byPath.keySet() + ")");
            }
        }
        if (byPath.size() != sampled.children().size()) {
            throw new IllegalStateException("the runner returned " + results.size() + " results for "
                    + sampled.children().size() + " candidates");
        }
        return byPath;
    }

    /**
     * The child's metrics after training. The worker applied the keep rule while it trained; the
     * driver applies it again to the validations it got back, and a disagreement is a bug.
     */
    private PathMetrics trained(Child child, KeepRule keep, CandidateResult r) {
        PathMetrics m = child.path().metrics();
        if (r.failure() != null) {
            return m.trained(r.evals(), null, false, null, r.trainSeconds(), r.failure());
        }
        boolean improved = keep.improved(r.evals());
        if (improved != r.improved()) {
            throw new IllegalStateException("candidate path " + child.path().id() + ": the worker says improved="
                    + r.improved() + " but its validations " + r.evals() + " against " + keep + " say " + improved);
        }
        return m.trained(r.evals(), r.quality(), improved, scorer.score(r.quality(), m.trainingAccountedParams()),
                r.trainSeconds(), null);
    }

    private static List<Component> newComponents(Child child, CandidateResult r) {
        List<Component> out = new ArrayList<>();
        for (int i = 0; i < child.plans().size(); i++) {
            ComponentPlan plan = child.plans().get(i);
            if (!plan.trainable()) {
                continue;
            }
            String sha = r.stagedSha256().get(plan.id());
            if (sha == null) {
                throw new IllegalStateException("candidate " + child.path().id() + " improved but staged no file"
                        + " for component " + plan.id() + " (" + plan.name() + ")");
            }
            Architecture.Slot slot = child.slots().get(i);
            out.add(new Component(plan.id(), plan.name(), slot.shape(), slot.parameterCount(),
                    child.path().id(), sha, java.util.Set.of()));
        }
        return out;
    }

    private CandidateSpec spec(TaskSpec task, Child child, long dataSeed, KeepRule keep) {
        return new CandidateSpec(child.path().id(), task.name(), task.source(), settings.policy().dims(),
                child.plans(), child.path().hparams().asMap(), settings.seed(), dataSeed,
                settings.batchSize(), settings.validations(), settings.stepsPerValidation(task),
                settings.maxValidationExamples(), keep, settings.threadsPerCandidate(), settings.caches());
    }
}
