package org.munet.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

class SparkCandidateRunnerTest {

    @Test
    void theWarmUpWaitsForTheExecutorsTheConfigurationPromises() {
        // Standalone's default (an application gets every worker's cores): the number is unknown.
        assertEquals(0, SparkCandidateRunner.expectedExecutors(new SparkConf(false)));
        assertEquals(3, SparkCandidateRunner.expectedExecutors(new SparkConf(false)
                .set("spark.executor.instances", "3")));
        assertEquals(2, SparkCandidateRunner.expectedExecutors(new SparkConf(false)
                .set("spark.cores.max", "8").set("spark.executor.cores", "4")));
        assertEquals(0, SparkCandidateRunner.expectedExecutors(new SparkConf(false).set("spark.cores.max", "8")),
                "without spark.executor.cores a standalone executor takes all of a worker's cores");
        assertEquals(0, SparkCandidateRunner.expectedExecutors(new SparkConf(false)
                .set("spark.executor.instances", "3").set("spark.dynamicAllocation.enabled", "true")),
                "dynamic allocation starts and stops executors as it likes");
    }
}
