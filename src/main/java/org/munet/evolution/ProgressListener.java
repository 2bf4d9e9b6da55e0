package org.munet.evolution;

/** Told what the engine does, for progress lines and reports. */
public interface ProgressListener {

    /** After a generation was committed. */
    void onGeneration(GenerationReport report);

    /** After a task iteration (its {@code iteration}-th visit, from 1) ended and its test evaluation ran. */
    void onTaskEnd(String task, int iteration, double validation, double test, double elapsedSeconds);

    ProgressListener NONE = new ProgressListener() {
        @Override
        public void onGeneration(GenerationReport report) {}

        @Override
        public void onTaskEnd(String task, int iteration, double validation, double test,
                double elapsedSeconds) {}
    };
}
