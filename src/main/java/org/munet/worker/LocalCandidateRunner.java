package org.munet.worker;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.munet.evolution.CandidateResult;
import org.munet.evolution.CandidateRunner;
import org.munet.evolution.CandidateSpec;
import org.munet.evolution.GenerationInfo;
import org.munet.evolution.TestResult;
import org.munet.evolution.TestSpec;
import org.munet.store.HadoopConf;

/**
 * Trains a generation's candidates concurrently on local threads, one per worker slot (by default
 * one per core, each with one intra-op thread: the best aggregate throughput measured here).
 */
public final class LocalCandidateRunner implements CandidateRunner {

    private final ExecutorService pool;
    /** Threads in the pool: candidates training at once, which the start order plans for. */
    private final int slots;
    private final CandidateWorker worker = new CandidateWorker();
    private final Configuration hadoop;

    /** With this JVM's Hadoop configuration ({@link HadoopConf#forThisJvm()}). */
    public LocalCandidateRunner(int slots) {
        this(slots, HadoopConf.forThisJvm());
    }

    /** @param hadoop the run's Hadoop configuration, which its workers open the state with */
    public LocalCandidateRunner(int slots, Configuration hadoop) {
        this.hadoop = hadoop;
        this.slots = slots;
        this.pool = Executors.newFixedThreadPool(slots, r -> {
            Thread t = new Thread(r, "munet-candidate");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public List<CandidateResult> train(GenerationInfo generation, List<CandidateSpec> specs) {
        // Planned here, before any thread starts, so a bad value fails the generation once.
        List<CandidatePlan> plans = CandidatePlan.of(specs);
        // Started in the order that has the threads finish together; results in the specs' order.
        List<Future<CandidateResult>> futures = new ArrayList<>(Collections.nCopies(plans.size(), null));
        for (int i : CandidateCost.startOrder(plans, slots)) {
            CandidatePlan plan = plans.get(i);
            futures.set(i, pool.submit(() -> worker.train(generation.stateUri(), hadoop, generation.runId(), plan)));
        }
        return collect(futures);
    }

    @Override
    public List<TestResult> test(String stateUri, List<TestSpec> specs) {
        List<Future<TestResult>> futures = new ArrayList<>();
        for (TestSpec spec : specs) {
            futures.add(pool.submit(() -> worker.test(stateUri, hadoop, spec)));
        }
        return collect(futures);
    }

    private static <T> List<T> collect(List<Future<T>> futures) {
        List<T> out = new ArrayList<>();
        try {
            for (Future<T> f : futures) {
                out.add(f.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while candidates were training", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        }
        return out;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
