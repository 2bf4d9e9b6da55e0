package org.munet.evolution;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
    private final VisitSchedule schedule;
    /**
     * The slowest generation (with its commit) of this run so far: the estimate a time budget uses
     * for the next one. Kept out of the state, whose bytes depend only on the seed and the data.
     */
    private double slowestGeneration;

    /** What a run ended with. */
    public record Result(Progress progress, RunSummary summary) {}

    /** An engine visiting the settings' own tasks, each {@code task_iterations} times. */
    public EvolutionEngine(EngineSettings settings, long rootParams, CandidateRunner runner, StateSink sink,
            String stateUri, ProgressListener listener) {
        this(settings, VisitSchedule.of(settings), rootParams, runner, sink, stateUri, listener);
    }

    public EvolutionEngine(EngineSettings settings, VisitSchedule schedule, long rootParams, CandidateRunner runner,
            StateSink sink, String stateUri, ProgressListener listener) {
        this.settings = settings;
        this.schedule = schedule;
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

    /** Runs until the schedule is done; returns the final progress. */
    public Progress run(Population population, Progress progress) {
        return run(population, progress, RunBudget.unlimited()).progress();
    }

    /**
     * Runs visits from {@code progress} (finishing an interrupted one first) until the schedule is
     * done or the budget would be exceeded by the next generation. Every generation is committed.
     */
    public Result run(Population population, Progress progress, RunBudget budget) {
        long start = System.nanoTime();
        Progress p = withLegacyVisits(progress);
        List<String> introduced = new ArrayList<>();
        List<String> revisited = new ArrayList<>();
        Set<String> improved = new LinkedHashSet<>();
        double computeAtStart = p.computeSeconds();
        int generations = 0;
        int visits = 0;
        String stop;
        visiting:
        while (true) {
            Visit visit;
            if (p.taskStarted()) {
                visit = schedule.current(p);
                if (visit == null) {
                    p = abandonVisit(population, p);
                    continue;
                }
            } else {
                visit = schedule.next(p);
                if (visit == null) {
                    stop = schedule.tasks().isEmpty() ? "no tasks are listed"
                            : schedule.skipped().size() == schedule.tasks().size() ? "every listed task was skipped"
                            : RunSummary.DONE;
                    break;
                }
            }
            String task = visit.task().name();
            double scoreBefore = bestScore(population, task);
            if (p.generation() < settings.generationsPerTask()) {
                // Not even one more generation fits: stop before the visit starts (or resumes).
                stop = budget.stopBefore(generations, seconds(start), slowestGeneration);
                if (stop != null) {
                    break;
                }
            }
            if (!p.taskStarted()) {
                population.startTask(task, random(p.loop(), -1));
                p = p.startVisit(task);
            }
            (visit.introduction() ? introduced : revisited).add(task);
            while (p.generation() < settings.generationsPerTask()) {
                stop = budget.stopBefore(generations, seconds(start), slowestGeneration);
                if (stop != null) {
                    break visiting;
                }
                p = runGeneration(population, visit, p, start);
                generations++;
            }
            p = endTask(population, visit, p, start);
            visits++;
            if (bestScore(population, task) > scoreBefore) {
                improved.add(task);
            }
        }
        RunSummary summary = new RunSummary(introduced, revisited, new ArrayList<>(improved), schedule.skipped(),
                generations, p.computeSeconds() - computeAtStart, seconds(start), stop, visits);
        return new Result(p, summary);
    }

    private double bestScore(Population population, String task) {
        TaskPath best = population.bestPath(task, path -> scorer.score(population, path));
        return best == null ? Double.NEGATIVE_INFINITY : scorer.score(population, best);
    }

    /**
     * A resumed visit whose task can no longer be loaded: keep what it found so far (the end of task
     * needs no data until the test pass, which is left for when the data is back) and go on.
     */
    private Progress abandonVisit(Population population, Progress p) {
        if (!population.pathsOf(p.task()).isEmpty()) {
            population.endTask(p.task(), path -> scorer.score(population, path));
        }
        Progress next = p.endVisit();
        sink.commit(population, next, null, List.of(), List.of());
        return next;
    }

    /**
     * States written before visits were recorded hold only the loop counter; on the config's fixed
     * round-robin (the schedule's list) it says which task each loop visited.
     */
    private Progress withLegacyVisits(Progress p) {
        List<String> tasks = schedule.tasks();
        if (tasks.isEmpty() || p.loop() == 0 && !p.taskStarted() || !p.visits().isEmpty() || p.task() != null) {
            return p;
        }
        Map<String, Progress.TaskVisits> visits = new LinkedHashMap<>();
        for (int l = 0; l < p.loop(); l++) {
            String name = tasks.get(l % tasks.size());
            Progress.TaskVisits v = visits.get(name);
            visits.put(name, new Progress.TaskVisits(v == null ? 1 : v.count() + 1, l));
        }
        String current = p.taskStarted() ? tasks.get(p.loop() % tasks.size()) : null;
        return new Progress(p.loop(), p.generation(), p.taskStarted(), p.computeSeconds(), current, visits);
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    private Progress runGeneration(Population population, Visit visit, Progress p, long start) {
        TaskSpec task = visit.task();
        long genStart = System.nanoTime();
        PhaseTrace.mark("sampling");
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
        PhaseTrace.mark("training");
        List<CandidateResult> results = runner.train(new GenerationInfo(stateUri, runId, task.name(),
                visit.iteration(), p.generation() + 1, settings.generationsPerTask()), specs);
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
        List<String> rejections = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            Child child = batch.get(i);
            CandidateResult r = results.get(i);
            if (r.failure() != null) {
                rejections.add("path " + child.path().id() + ": " + r.failure());
            }
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
        Progress next = p.afterGeneration(compute);
        slowestGeneration = Math.max(slowestGeneration, (System.nanoTime() - genStart) / 1e9);
        sink.commit(population, next, runId, created, kept);
        listener.onGeneration(new GenerationReport(task.name(), visit.iteration(), p.generation() + 1,
                settings.generationsPerTask(), batch.size(), keptCount,
                bestAfter == null ? Double.NaN : scorer.score(population, bestAfter), (System.nanoTime() - start) / 1e9,
                wall, trainSum / batch.size(), overheadSum / batch.size(), rejections));
        return next;
    }

    private Progress endTask(Population population, Visit visit, Progress p, long start) {
        TaskSpec task = visit.task();
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
        Progress next = p.endVisit();
        sink.commit(population, next, null, List.of(), List.of());
        TaskPath best = solved ? population.pathsOf(task.name()).get(0) : null;
        listener.onTaskEnd(task.name(), visit.iteration(), best == null ? Double.NaN : best.metrics().quality,
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
