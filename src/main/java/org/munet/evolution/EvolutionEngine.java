package org.munet.evolution;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.munet.system.Component;
import org.munet.system.Population;
import org.munet.system.Progress;
import org.munet.system.SystemState;
import org.munet.system.TaskPath;

/**
 * The µ2Net loop (spec §2, §5) over task visits: the schedule picks the next task, each task
 * iteration runs a fixed number of {@link Generation}s of D candidates, then the end of task (keep
 * the best, lock, prune, re-link, test). Built once and immutable, like Jenetics' {@code Engine}: a
 * {@link SystemState} goes in, the final one comes out. Candidates are trained through a
 * {@link CandidateRunner} and every new state is committed through a {@link StateSink}, after
 * every generation, so a run can stop anywhere and continue from its last committed generation.
 *
 * <p>Every random decision derives from the run's seed and the (visit index, generation) position,
 * so a resumed run makes the same decisions as one that never stopped.
 */
public final class EvolutionEngine {

    private final EngineSettings settings;
    private final VisitSchedule schedule;
    private final CandidateRunner runner;
    private final StateSink sink;
    private final String stateUri;
    private final ProgressListener listener;

    /** What a run ended with. */
    public record Result(SystemState state, RunSummary summary) {}

    /** An engine visiting the settings' own tasks, each {@code task_iterations} times. */
    public EvolutionEngine(EngineSettings settings, CandidateRunner runner, StateSink sink, String stateUri,
            ProgressListener listener) {
        this(settings, VisitSchedule.of(settings), runner, sink, stateUri, listener);
    }

    public EvolutionEngine(EngineSettings settings, VisitSchedule schedule, CandidateRunner runner,
            StateSink sink, String stateUri, ProgressListener listener) {
        this.settings = settings;
        this.schedule = schedule;
        this.runner = runner;
        this.sink = sink;
        this.stateUri = stateUri;
        this.listener = listener;
    }

    /** Runs until the schedule is done; returns the final state. */
    public SystemState run(SystemState start) {
        return run(start, RunBudget.unlimited()).state();
    }

    /**
     * Runs visits from {@code start} (finishing an interrupted one first) until the schedule is
     * done or the budget would be exceeded by the next generation. Every generation is committed.
     */
    public Result run(SystemState start, RunBudget budget) {
        return new Run(new Scorer(settings.scoreBase(), start.rootParams()), budget).run(start);
    }

    /** A test pass over a live path (end of task, or later to check immunity). */
    public TestSpec testSpec(Population population, TaskPath path) {
        TaskSpec task = schedule.spec(path.task());
        if (task == null) {
            throw new IllegalArgumentException("task " + path.task() + " is not in this run's schedule, or its data"
                    + " cannot be read: " + schedule.skipped());
        }
        return testSpec(population, path, task);
    }

    /** A test pass over a live path of {@code task} (whose source says where its data is). */
    public TestSpec testSpec(Population population, TaskPath path, TaskSpec task) {
        List<ComponentPlan> plans = new ArrayList<>();
        for (Component c : population.componentsOf(path)) {
            plans.add(new ComponentPlan(c.name(), c.id(), ComponentPlan.Action.REUSE, c.id(), c.sha256()));
        }
        return new TestSpec(path.id(), path.task(), task.source(), settings.policy().dims(), plans,
                path.hparams().asMap(), settings.caches());
    }

    /** One call of {@link #run}: its clock, its budget and what it has done so far. */
    private final class Run {

        private final Scorer scorer;
        private final Generation generation;
        private final RunBudget budget;
        private final long start = System.nanoTime();
        /**
         * The slowest generation (with its commit) of this run so far: the estimate a time budget
         * uses for the next one. Kept out of the state, whose bytes depend only on the seed and the data.
         */
        private double slowestGeneration;
        private int generations;

        Run(Scorer scorer, RunBudget budget) {
            this.scorer = scorer;
            this.generation = new Generation(settings, scorer);
            this.budget = budget;
        }

        Result run(SystemState initial) {
            SystemState state = initial.withProgress(withLegacyVisits(initial.progress()));
            List<String> introduced = new ArrayList<>();
            List<String> revisited = new ArrayList<>();
            Set<String> improved = new LinkedHashSet<>();
            double computeAtStart = state.progress().computeSeconds();
            int visits = 0;
            String stop;
            visiting:
            while (true) {
                Progress p = state.progress();
                Visit visit;
                if (p.taskStarted()) {
                    visit = schedule.current(p);
                    if (visit == null) {
                        state = abandonVisit(state);
                        continue;
                    }
                } else {
                    visit = schedule.next(p);
                    if (visit == null) {
                        stop = schedule.tasks().isEmpty() ? "no tasks are listed"
                                : schedule.skipped().size() == schedule.tasks().size() ? RunSummary.ALL_SKIPPED
                                : RunSummary.DONE;
                        break;
                    }
                }
                String task = visit.task().name();
                double scoreBefore = bestScore(state.population(), task);
                if (p.generation() < settings.generationsPerTask()) {
                    // Not even one more generation fits: stop before the visit starts (or resumes).
                    stop = budget.stopBefore(generations, seconds(start), slowestGeneration);
                    if (stop != null) {
                        break;
                    }
                }
                if (!p.taskStarted()) {
                    state = state.withPopulation(state.population().startTask(task, random(p.visitIndex(), -1)))
                            .withProgress(p.startVisit(task));
                    if (!visit.task().classNames().equals(state.classNames().get(task))) {
                        state = state.withClassNames(task, visit.task().classNames());
                    }
                }
                (visit.introduction() ? introduced : revisited).add(task);
                while (state.progress().generation() < settings.generationsPerTask()) {
                    stop = budget.stopBefore(generations, seconds(start), slowestGeneration);
                    if (stop != null) {
                        break visiting;
                    }
                    state = runGeneration(state, visit);
                    generations++;
                }
                state = endTask(state, visit);
                visits++;
                if (bestScore(state.population(), task) > scoreBefore) {
                    improved.add(task);
                }
            }
            RunSummary summary = new RunSummary(introduced, revisited, new ArrayList<>(improved), schedule.skipped(),
                    generations, state.progress().computeSeconds() - computeAtStart, seconds(start), stop, visits);
            return new Result(state, summary);
        }

        private double bestScore(Population population, String task) {
            TaskPath best = population.bestPath(task, path -> scorer.score(population, path));
            return best == null ? Double.NEGATIVE_INFINITY : scorer.score(population, best);
        }

        /**
         * A resumed visit whose task can no longer be loaded: keep what it found so far (the end of
         * task needs no data until the test pass, which is left for when the data is back) and go on.
         */
        private SystemState abandonVisit(SystemState state) {
            Population population = state.population();
            String task = state.progress().task();
            if (!population.pathsOf(task).isEmpty()) {
                population = population.endTask(task, path -> scorer.score(state.population(), path));
            }
            SystemState next = state.withPopulation(population).withProgress(state.progress().endVisit());
            sink.commit(next, null, List.of(), List.of());
            return next;
        }

        private SystemState runGeneration(SystemState state, Visit visit) {
            TaskSpec task = visit.task();
            Progress p = state.progress();
            long genStart = System.nanoTime();
            PhaseTrace.mark("sampling");
            Generation.Sampled sampled = generation.sample(state.population(), task, p.visitIndex(), p.generation(),
                    random(p.visitIndex(), p.generation()));
            String runId = "loop" + p.visitIndex() + "-gen" + p.generation();
            GenerationInfo info = new GenerationInfo(stateUri, runId, task.name(), visit.iteration(),
                    p.generation() + 1, settings.generationsPerTask());
            // The runner's start-up (executors, engines, data) is not the generation's time.
            long warmStart = System.nanoTime();
            runner.warmUp(info, sampled.specs());
            genStart += System.nanoTime() - warmStart;
            listener.onGenerationStart(info, candidates(sampled));
            long trainStart = System.nanoTime();
            PhaseTrace.mark("training");
            List<CandidateResult> results = runner.train(info, sampled.specs());
            double wall = (System.nanoTime() - trainStart) / 1e9;
            Generation.Kept kept = generation.keep(sampled, results);
            double compute = p.computeSeconds();
            for (TaskPath created : kept.created()) {
                compute += created.metrics().trainSeconds();
            }
            SystemState next = state.withPopulation(kept.population()).withProgress(p.afterGeneration(compute));
            slowestGeneration = Math.max(slowestGeneration, (System.nanoTime() - genStart) / 1e9);
            sink.commit(next, runId, kept.created(), kept.components());
            TaskPath bestAfter = kept.population().bestPath(task.name(),
                    path -> scorer.score(kept.population(), path));
            listener.onGeneration(new GenerationReport(task.name(), visit.iteration(), p.generation() + 1,
                    settings.generationsPerTask(), sampled.children().size(), kept.keptCount(),
                    bestAfter == null ? Double.NaN : scorer.score(kept.population(), bestAfter), seconds(start),
                    wall, kept.trainSeconds(), kept.overheadSeconds(), kept.rejections(), outcomes(sampled, kept)));
            listener.onLeaderboard(leaderboard(kept.population()));
            return next;
        }

        private static List<CandidateInfo> candidates(Generation.Sampled sampled) {
            List<CandidateInfo> out = new ArrayList<>();
            for (Child child : sampled.children()) {
                TaskPath path = child.path();
                out.add(new CandidateInfo(path.id(), path.parentId(), path.metrics().mutations(),
                        child.trainableParams()));
            }
            return out;
        }

        /** Each candidate's fate, in order; a rejection says the score it fell short with. */
        private static List<CandidateOutcome> outcomes(Generation.Sampled sampled, Generation.Kept kept) {
            List<CandidateOutcome> out = new ArrayList<>();
            for (int i = 0; i < kept.created().size(); i++) {
                TaskPath path = kept.created().get(i);
                KeepRule rule = sampled.specs().get(i).keep();
                Double quality = path.metrics().quality();
                String reason = null;
                if (path.metrics().failure() != null) {
                    reason = path.metrics().failure();
                } else if (!path.metrics().improved() && quality != null) {
                    double score = rule.score(quality);
                    reason = score == quality
                            ? String.format(java.util.Locale.ROOT, "validation %.4f below %.4f", quality,
                                    rule.scoreToBeat())
                            : String.format(java.util.Locale.ROOT, "score %.4f (validation %.4f) below %.4f", score,
                                    quality, rule.scoreToBeat());
                }
                out.add(new CandidateOutcome(path.id(), quality, path.metrics().improved(), reason));
            }
            return out;
        }

        /** Each task's best live path by the engine's score. */
        private List<LeaderboardEntry> leaderboard(Population population) {
            List<LeaderboardEntry> out = new ArrayList<>();
            for (String task : population.tasks()) {
                TaskPath best = population.bestPath(task, path -> scorer.score(population, path));
                if (best == null) {
                    continue;
                }
                long activated = 0;
                for (Component c : population.componentsOf(best)) {
                    activated += c.parameterCount();
                }
                out.add(new LeaderboardEntry(task, best.id(), best.metrics().quality(), best.metrics().testQuality(),
                        scorer.score(population, best), activated, best.metrics().numTrainableParams()));
            }
            return out;
        }

        private SystemState endTask(SystemState state, Visit visit) {
            TaskSpec task = visit.task();
            Population before = state.population();
            // When every candidate of every generation failed (e.g. diverged) there is nothing to keep
            // or lock; the task gets another chance at its next iteration and the run goes on.
            boolean solved = !before.pathsOf(task.name()).isEmpty();
            Population population = solved
                    ? before.endTask(task.name(), path -> scorer.score(before, path)) : before;
            // Every live path is tested: the untested ones for their metrics, and the others again
            // for the accuracy matrix (a column per task, a row per task end; TestRecord).
            List<TestSpec> tests = new ArrayList<>();
            for (TaskPath path : population.paths()) {
                if (!path.isRoot()) {
                    // A task whose data cannot be read now keeps its test pending for a later visit.
                    TaskSpec spec = path.task().equals(task.name()) ? task : schedule.spec(path.task());
                    if (spec != null) {
                        tests.add(testSpec(population, path, spec));
                    }
                }
            }
            Map<Long, TestResult> byPath = new HashMap<>();
            for (TestResult r : runner.test(stateUri, tests)) {
                byPath.put(r.pathId(), r);
            }
            List<TestRecord> records = new ArrayList<>();
            for (TestSpec t : tests) {
                TestResult r = byPath.get(t.pathId());
                if (r == null) {
                    throw new IllegalStateException("the runner returned no test result for path " + t.pathId());
                }
                TaskPath path = population.path(r.pathId());
                if (path.metrics().testQuality() == null) {
                    population = population.withUpdatedPath(
                            path.withMetrics(path.metrics().tested(r.accuracy(), r.predictionsSha256())));
                }
                records.add(new TestRecord(state.progress().visitIndex(), task.name(), path.id(), path.task(),
                        r.accuracy(), r.predictionsSha256()));
            }
            SystemState next = state.withPopulation(population).withProgress(state.progress().endVisit());
            sink.commit(next, null, List.of(), List.of(), records);
            TaskPath best = solved ? population.pathsOf(task.name()).get(0) : null;
            listener.onTaskEnd(task.name(), visit.iteration(), best == null ? Double.NaN : best.metrics().quality(),
                    best == null || best.metrics().testQuality() == null ? Double.NaN : best.metrics().testQuality(),
                    seconds(start));
            listener.onLeaderboard(leaderboard(population));
            return next;
        }
    }

    /**
     * States written before visits were recorded hold only the visit counter ("loop"); on the config's fixed
     * round-robin (the schedule's list) it says which task each visit went to.
     */
    private Progress withLegacyVisits(Progress p) {
        List<String> tasks = schedule.tasks();
        if (tasks.isEmpty() || p.visitIndex() == 0 && !p.taskStarted() || !p.visits().isEmpty() || p.task() != null) {
            return p;
        }
        Map<String, Progress.TaskVisits> visits = new LinkedHashMap<>();
        for (int l = 0; l < p.visitIndex(); l++) {
            String name = tasks.get(l % tasks.size());
            Progress.TaskVisits v = visits.get(name);
            visits.put(name, new Progress.TaskVisits(v == null ? 1 : v.count() + 1, l));
        }
        String current = p.taskStarted() ? tasks.get(p.visitIndex() % tasks.size()) : null;
        return new Progress(p.visitIndex(), p.generation(), p.taskStarted(), p.computeSeconds(), current, visits);
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    private SplittableRandom random(int visitIndex, int generation) {
        return new SplittableRandom(mix(settings.seed(), visitIndex, generation, 0));
    }

    static long mix(long seed, int visitIndex, int generation, int stream) {
        long h = seed * 0x9E3779B97F4A7C15L;
        h ^= (visitIndex + 1L) * 0xC2B2AE3D27D4EB4FL;
        h ^= (generation + 2L) * 0x165667B19E3779F9L;
        h ^= (stream + 3L) * 0xD6E8FEB86659FD93L;
        return h ^ (h >>> 31);
    }
}
