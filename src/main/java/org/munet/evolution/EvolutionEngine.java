package org.munet.evolution;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.munet.system.Architecture;
import org.munet.system.Component;
import org.munet.system.Population;
import org.munet.system.Progress;
import org.munet.system.TaskPath;

/**
 * The µ2Net loop (spec §2, §5): tasks in round-robin order, for each task iteration a fixed number
 * of generations of D candidates, then the end of task (keep the best, lock, prune, re-link, test).
 * Pure policy: candidates are trained through a {@link CandidateRunner} and every change is
 * committed through a {@link StateSink}, after every generation, so a run can stop anywhere and
 * continue from its last committed generation.
 *
 * <p>Every random decision derives from the run's seed and the (loop, generation) position, so a
 * resumed run makes the same decisions as one that never stopped.
 */
public final class EvolutionEngine {

    private final EngineSettings settings;
    private final CandidateRunner runner;
    private final StateSink sink;
    private final ProgressListener listener;
    private final String stateUri;
    private final Scorer scorer;
    private final ParentSampler parents;
    private final ChildBuilder children;
    private final DataHparamSampler dataHparams;

    public EvolutionEngine(EngineSettings settings, long rootParams, CandidateRunner runner, StateSink sink,
            String stateUri, ProgressListener listener) {
        this.settings = settings;
        this.runner = runner;
        this.sink = sink;
        this.stateUri = stateUri;
        this.listener = listener;
        this.scorer = new Scorer(settings.scoreBase(), rootParams);
        this.parents = new ParentSampler(scorer, settings.policy().baseline());
        this.children = new ChildBuilder(settings.policy());
        this.dataHparams = new DataHparamSampler(settings.policy(), scorer);
    }

    public Scorer scorer() {
        return scorer;
    }

    /** Runs from {@code progress} to the end of the last task iteration; returns the final progress. */
    public Progress run(Population population, Progress progress) {
        long start = System.nanoTime();
        Progress p = progress;
        while (p.loop() < settings.totalLoops()) {
            TaskSpec task = settings.tasks().get(p.loop() % settings.tasks().size());
            int iteration = p.loop() / settings.tasks().size();
            if (!p.taskStarted()) {
                population.startTask(task.name(), random(p.loop(), -1));
                p = new Progress(p.loop(), 0, true, p.computeSeconds());
            }
            while (p.generation() < settings.generationsPerTask()) {
                p = runGeneration(population, task, iteration, p, start);
            }
            p = endTask(population, task, iteration, p, start);
        }
        return p;
    }

    private Progress runGeneration(Population population, TaskSpec task, int iteration, Progress p, long start) {
        SplittableRandom rng = random(p.loop(), p.generation());
        TaskPath bestBefore = population.bestPath(task.name(), path -> scorer.score(population, path));
        Map<String, Object> ds = dataHparams.sample(population, task.name(), rng);
        List<Child> batch = new ArrayList<>();
        List<CandidateSpec> specs = new ArrayList<>();
        long dataSeed = mix(settings.seed(), p.loop(), p.generation(), 1);
        for (int i = 0; i < settings.candidatesPerGeneration(); i++) {
            TaskPath parent = parents.sample(population, task.name(), rng);
            Child child = children.build(population, parent, task.name(), task.numClasses(), ds, rng,
                    p.loop(), p.generation());
            batch.add(child);
            specs.add(spec(population, task, parent, child, dataSeed));
        }
        String runId = "loop" + p.loop() + "-gen" + p.generation();
        long trainStart = System.nanoTime();
        List<CandidateResult> results = runner.train(new GenerationInfo(stateUri, runId, task.name(),
                iteration + 1, p.generation() + 1, settings.generationsPerTask()), specs);
        if (results.size() != specs.size()) {
            throw new IllegalStateException("runner returned " + results.size() + " results for "
                    + specs.size() + " candidates");
        }
        double wall = (System.nanoTime() - trainStart) / 1e9;
        List<TaskPath> created = new ArrayList<>();
        List<Component> kept = new ArrayList<>();
        double compute = p.computeSeconds();
        double trainSum = 0;
        double overheadSum = 0;
        int keptCount = 0;
        for (int i = 0; i < batch.size(); i++) {
            Child child = batch.get(i);
            CandidateResult r = results.get(i);
            TaskPath path = child.path();
            apply(path, r);
            compute += r.trainSeconds();
            trainSum += r.trainSeconds();
            overheadSum += r.workerSeconds() - r.trainSeconds();
            created.add(path);
            if (path.metrics().improved) {
                List<Component> fresh = newComponents(child, r);
                fresh.forEach(population::addComponent);
                kept.addAll(fresh);
                population.addPath(path);
                keptCount++;
            }
        }
        TaskPath bestAfter = population.bestPath(task.name(), path -> scorer.score(population, path));
        if (bestAfter != null && bestAfter != bestBefore) {
            bestAfter.metrics().newBest = true;
        }
        Progress next = new Progress(p.loop(), p.generation() + 1, true, compute);
        sink.commit(population, next, runId, created, kept);
        listener.onGeneration(new GenerationReport(task.name(), iteration + 1, p.generation() + 1,
                settings.generationsPerTask(), batch.size(), keptCount,
                bestAfter == null ? Double.NaN : scorer.score(population, bestAfter), (System.nanoTime() - start) / 1e9,
                wall, trainSum / batch.size(), overheadSum / batch.size()));
        return next;
    }

    private Progress endTask(Population population, TaskSpec task, int iteration, Progress p, long start) {
        // When every candidate of every generation failed (e.g. diverged) there is nothing to keep
        // or lock; the task gets another chance at its next iteration and the run goes on.
        boolean solved = !population.pathsOf(task.name()).isEmpty();
        if (solved) {
            population.endTask(task.name(), path -> scorer.score(population, path));
        }
        List<TestSpec> tests = new ArrayList<>();
        for (TaskPath path : population.paths()) {
            if (!path.isRoot() && path.metrics().testQuality == null) {
                tests.add(testSpec(population, path));
            }
        }
        for (TestResult r : runner.test(stateUri, tests)) {
            TaskPath path = population.path(r.pathId());
            path.metrics().testQuality = r.accuracy();
            path.metrics().testPredictionsSha256 = r.predictionsSha256();
        }
        Progress next = new Progress(p.loop() + 1, 0, false, p.computeSeconds());
        sink.commit(population, next, null, List.of(), List.of());
        TaskPath best = solved ? population.pathsOf(task.name()).get(0) : null;
        listener.onTaskEnd(task.name(), iteration, best == null ? Double.NaN : best.metrics().quality,
                best == null || best.metrics().testQuality == null ? Double.NaN : best.metrics().testQuality,
                (System.nanoTime() - start) / 1e9);
        return next;
    }

    /** A test pass over a live path (end of task, or later to check immunity). */
    public TestSpec testSpec(Population population, TaskPath path) {
        List<ComponentPlan> plans = new ArrayList<>();
        for (Component c : population.componentsOf(path)) {
            plans.add(new ComponentPlan(c.name(), c.id(), ComponentPlan.Action.REUSE, c.id(), c.sha256()));
        }
        return new TestSpec(path.id(), path.task(), settings.dataDir(), settings.policy().dims(), plans,
                path.hparams().asMap());
    }

    private CandidateSpec spec(Population population, TaskSpec task, TaskPath parent, Child child, long dataSeed) {
        List<Component> reused = new ArrayList<>();
        long fresh = 0;
        for (int i = 0; i < child.plans().size(); i++) {
            ComponentPlan plan = child.plans().get(i);
            if (plan.action() == ComponentPlan.Action.REUSE) {
                reused.add(population.component(plan.id()));
            } else {
                fresh += child.slots().get(i).parameterCount();
            }
        }
        // New and cloned components have no locks yet: this task alone is charged for them.
        double accounted = Scorer.accountedParams(reused, task.name()) + fresh;
        double initialBest = parent.task().equals(task.name())
                ? scorer.score(population, parent) : Double.NEGATIVE_INFINITY;
        child.path().metrics().trainingAccountedParams = accounted;
        return new CandidateSpec(child.path().id(), task.name(), settings.dataDir(), settings.policy().dims(),
                child.plans(), child.path().hparams().asMap(), settings.seed(), dataSeed,
                settings.batchSize(), settings.validations(), settings.stepsPerValidation(task),
                settings.maxValidationExamples(), initialBest, settings.scoreBase(), scorer.rootParams(),
                accounted, settings.threadsPerCandidate());
    }

    private void apply(TaskPath path, CandidateResult r) {
        var m = path.metrics();
        m.evals = new ArrayList<>(r.evals());
        m.quality = r.failure() == null ? r.quality() : null;
        m.improved = r.failure() == null && r.improved();
        m.trainSeconds = r.trainSeconds();
        m.failure = r.failure();
        m.trainingScore = m.quality == null ? null : scorer.score(m.quality, m.trainingAccountedParams);
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

    private SplittableRandom random(int loop, int generation) {
        return new SplittableRandom(mix(settings.seed(), loop, generation, 0));
    }

    static long mix(long seed, int loop, int generation, int stream) {
        long h = seed * 0x9E3779B97F4A7C15L;
        h ^= (loop + 1L) * 0xC2B2AE3D27D4EB4FL;
        h ^= (generation + 2L) * 0x165667B19E3779F9L;
        h ^= (stream + 3L) * 0xD6E8FEB86659FD93L;
        return h ^ (h >>> 31);
    }
}
