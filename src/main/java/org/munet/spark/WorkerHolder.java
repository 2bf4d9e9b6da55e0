package org.munet.spark;

import org.munet.worker.CandidateWorker;

/**
 * One {@link CandidateWorker} per executor JVM: its caches of frozen components (immutable once
 * committed) and decoded task data then serve every Spark task that runs in that JVM.
 */
final class WorkerHolder {

    private static volatile CandidateWorker worker;

    private WorkerHolder() {}

    static CandidateWorker get() {
        CandidateWorker w = worker;
        if (w == null) {
            synchronized (WorkerHolder.class) {
                w = worker;
                if (w == null) {
                    w = new CandidateWorker();
                    worker = w;
                }
            }
        }
        return w;
    }
}
