package org.munet.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StartOrderTest {

    /**
     * When each slot finishes if the slots take candidates in {@code order} as they free up (as
     * Spark's tasks and the local runner's threads do), each candidate taking its cost.
     */
    static double finish(int[] order, double[] cost, int slots) {
        double[] free = new double[slots];
        for (int i : order) {
            int first = 0;
            for (int s = 1; s < slots; s++) {
                if (free[s] < free[first]) {
                    first = s;
                }
            }
            free[first] += cost[i];
        }
        return Arrays.stream(free).max().orElse(0);
    }

    @Test
    void sevenEqualCandidatesAndAShortOneOnTwoSlotsFinishAtTheBestSplit() {
        // The predicted costs of spark-scaling.sh's generation, relative to the dearest.
        double[] cost = {1.0, 1.0, 0.89, 0.889, 0.888, 0.865, 0.864, 0.46};
        double longestFirst = finish(StartOrder.longestFirst(cost), cost, 2);
        double planned = finish(StartOrder.of(cost, 2), cost, 2);
        assertEquals(3.619, longestFirst, 1e-9);
        // The best of the 2^8 splits: {1.0, 0.889, 0.888, 0.46} and {1.0, 0.89, 0.865, 0.864}.
        assertEquals(bestSplit(cost), planned, 1e-9);
        assertEquals(3.506, planned, 1e-9);
    }

    @Test
    void neverLaterThanLongestFirstAndExactlyTheSplitItPlanned() {
        Random random = new Random(42);
        int better = 0;
        for (int trial = 0; trial < 2000; trial++) {
            double[] cost = new double[1 + random.nextInt(12)];
            for (int i = 0; i < cost.length; i++) {
                cost[i] = 0.1 + random.nextDouble();
            }
            int slots = 1 + random.nextInt(4);
            int[] order = StartOrder.of(cost, slots);
            int[] sorted = order.clone();
            Arrays.sort(sorted);
            assertArrayEquals(java.util.stream.IntStream.range(0, cost.length).toArray(), sorted, "a permutation");
            double planned = finish(order, cost, slots);
            double longestFirst = finish(StartOrder.longestFirst(cost), cost, slots);
            assertTrue(planned <= longestFirst + 1e-9, planned + " > " + longestFirst);
            double split = StartOrder.split(cost, Math.min(slots, cost.length)).stream()
                    .mapToDouble(share -> share.stream().mapToDouble(i -> cost[i]).sum()).max().orElse(0);
            assertEquals(split, planned, 1e-9, "list scheduling gives each slot its share");
            better += planned < longestFirst - 1e-9 ? 1 : 0;
        }
        assertTrue(better > 100, "better than longest-first in " + better + " of 2000");
    }

    @Test
    void oneSlotStartsLongestFirstWithTiesInIndexOrder() {
        assertArrayEquals(new int[] {4, 1, 3, 2, 0}, StartOrder.of(new double[] {1, 3, 2, 3, 5}, 1));
        assertArrayEquals(new int[] {4, 1, 3, 2, 0}, StartOrder.of(new double[] {1, 3, 2, 3, 5}, 5));
        assertEquals(0, StartOrder.of(new double[0], 2).length);
        assertThrows(IllegalArgumentException.class, () -> StartOrder.of(new double[] {1}, 0));
    }

    @Test
    void theSplitIsAFunctionOfTheCosts() {
        double[] cost = {0.7, 0.2, 0.9, 0.9, 0.4, 0.6, 0.3};
        assertEquals(List.of(StartOrder.split(cost, 3)), List.of(StartOrder.split(cost.clone(), 3)));
        assertArrayEquals(StartOrder.of(cost, 3), StartOrder.of(cost.clone(), 3));
    }

    private static double bestSplit(double[] cost) {
        double best = Double.MAX_VALUE;
        double total = Arrays.stream(cost).sum();
        for (int mask = 0; mask < 1 << cost.length; mask++) {
            double a = 0;
            for (int i = 0; i < cost.length; i++) {
                a += (mask >> i & 1) == 1 ? cost[i] : 0;
            }
            best = Math.min(best, Math.max(a, total - a));
        }
        return best;
    }
}
