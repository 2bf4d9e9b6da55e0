package org.munet.spark;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.TaskFailedReason;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * Turns Spark's job and task events into the progress lines users read in the driver log: when a
 * generation's job starts, each candidate as its task ends (where, how long, whether it failed and
 * will be retried), and when the job ends.
 */
public final class ProgressSparkListener extends SparkListener {

    private static final String DESCRIPTION = "spark.job.description";

    private final PrintStream out;
    private final Map<Integer, String> jobNames = new ConcurrentHashMap<>();
    private final Map<Integer, Integer> stageToJob = new ConcurrentHashMap<>();

    public ProgressSparkListener(PrintStream out) {
        this.out = out;
    }

    @Override
    public void onJobStart(SparkListenerJobStart start) {
        String name = start.properties() == null ? null : start.properties().getProperty(DESCRIPTION);
        if (name == null) {
            return;
        }
        jobNames.put(start.jobId(), name);
        start.stageIds().foreach(stage -> stageToJob.put((Integer) stage, start.jobId()));
        out.printf(Locale.ROOT, "[spark] job %d started: %s%n", start.jobId(), name);
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
        Integer job = stageToJob.get(end.stageId());
        if (job == null || end.taskInfo() == null) {
            return;
        }
        String outcome = "finished";
        if (end.reason() instanceof TaskFailedReason failed) {
            String why = failed.toErrorString();
            int newline = why.indexOf('\n');
            outcome = "failed (" + (newline < 0 ? why : why.substring(0, newline))
                    + (failed.countTowardsTaskFailures() ? ")" : ", not counted as a task failure)")
                    + ", Spark retries it";
        }
        out.printf(Locale.ROOT, "[spark] job %d: task %d (attempt %d) %s on executor %s in %.1fs%n", job,
                end.taskInfo().index(), end.taskInfo().attemptNumber(), outcome, end.taskInfo().executorId(),
                end.taskInfo().duration() / 1000.0);
    }

    @Override
    public void onJobEnd(SparkListenerJobEnd end) {
        String name = jobNames.remove(end.jobId());
        if (name != null) {
            out.printf(Locale.ROOT, "[spark] job %d ended (%s): %s%n", end.jobId(), end.jobResult(), name);
        }
    }
}
