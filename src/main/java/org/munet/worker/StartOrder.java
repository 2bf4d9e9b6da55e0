package org.munet.worker;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The order in which to start a generation's candidates on a number of task slots, so that the slots
 * finish together. Both runners hand candidates to slots as the slots free up, in a fixed order (list
 * scheduling), so the order alone decides which slot trains which candidate, and how long the last
 * slot keeps the others waiting.
 *
 * <p>Longest-predicted-first (LPT) is the usual order, but it leaves a slot idle at the end whenever
 * the best split of the candidates over the slots is not the greedy one. A typical generation of
 * eight on two slots, seven candidates of about equal cost and one that trains only its head, is
 * such a case: LPT splits it four long against three long and the short one, while the best split
 * pairs the two longest with the short one. This class first splits the candidates over the slots
 * (LPT's split, then single moves and pairwise swaps off the most loaded slot while one lowers its
 * load), then interleaves the slots' candidates by the predicted time each would start, which is the
 * order in which list scheduling, going by the predictions, gives every slot exactly its share. The
 * split is never worse than LPT's by the predictions; where the predictions are off the slots still
 * take the next candidate as they free up, as under LPT.
 *
 * <p>The order is a function of the costs alone (ties go to the lower index), and it changes where
 * and when a candidate trains, never what it computes.
 */
final class StartOrder {

    private StartOrder() {}

    /**
     * @param cost each candidate's predicted cost, in any unit proportional to time
     * @param slots how many candidates train at once
     * @return the indices of {@code cost} in the order to start them
     */
    static int[] of(double[] cost, int slots) {
        if (slots < 1) {
            throw new IllegalArgumentException("need at least one slot, got " + slots);
        }
        List<List<Integer>> shares = split(cost, Math.min(slots, Math.max(1, cost.length)));
        return interleave(cost, shares);
    }

    /** LPT's split, improved by moves and swaps off the most loaded slot while one lowers its load. */
    static List<List<Integer>> split(double[] cost, int slots) {
        List<List<Integer>> shares = new ArrayList<>();
        double[] load = new double[slots];
        for (int s = 0; s < slots; s++) {
            shares.add(new ArrayList<>());
        }
        for (int i : longestFirst(cost)) {
            int least = extreme(load, -1);
            shares.get(least).add(i);
            load[least] += cost[i];
        }
        // Each accepted step lowers the most loaded slot's load without raising another's above it,
        // so the sum of squared loads falls strictly: the search ends.
        while (true) {
            int most = extreme(load, 1);
            Step best = null;
            for (int other = 0; other < slots; other++) {
                if (other == most) {
                    continue;
                }
                for (int i : shares.get(most)) {
                    double moved = Math.max(load[most] - cost[i], load[other] + cost[i]);
                    best = better(best, new Step(most, other, i, -1, moved));
                    for (int j : shares.get(other)) {
                        double d = cost[i] - cost[j];
                        if (d > 0) {
                            best = better(best, new Step(most, other, i, j, Math.max(load[most] - d, load[other] + d)));
                        }
                    }
                }
            }
            // A relative margin, so that rounding in the running loads cannot cycle between splits
            // of equal load.
            if (best == null || best.makespan() >= load[most] * (1 - 1e-9)) {
                return shares;
            }
            move(shares, load, cost, best.from(), best.to(), best.out());
            if (best.back() >= 0) {
                move(shares, load, cost, best.to(), best.from(), best.back());
            }
        }
    }

    /**
     * The order in which list scheduling, with the predicted costs, starts each slot's share on that
     * slot: repeatedly the next candidate of the slot that would free up first.
     */
    private static int[] interleave(double[] cost, List<List<Integer>> shares) {
        int slots = shares.size();
        Comparator<Integer> dearerFirst = byCostDescending(cost);
        List<List<Integer>> queues = new ArrayList<>();
        for (List<Integer> share : shares) {
            List<Integer> q = new ArrayList<>(share);
            q.sort(dearerFirst);
            queues.add(q);
        }
        int[] next = new int[slots];
        double[] free = new double[slots];
        int[] order = new int[cost.length];
        for (int n = 0; n < order.length; n++) {
            // Of slots free at the same time, the dearer candidate first (as longest-first would).
            int pick = -1;
            for (int s = 0; s < slots; s++) {
                if (next[s] < queues.get(s).size() && (pick < 0 || free[s] < free[pick] || free[s] == free[pick]
                        && dearerFirst.compare(queues.get(s).get(next[s]), queues.get(pick).get(next[pick])) < 0)) {
                    pick = s;
                }
            }
            int i = queues.get(pick).get(next[pick]++);
            order[n] = i;
            free[pick] += cost[i];
        }
        return order;
    }

    /** The first slot of the least ({@code sign} -1) or the most ({@code sign} 1) load. */
    private static int extreme(double[] load, int sign) {
        int pick = 0;
        for (int s = 1; s < load.length; s++) {
            if (sign * load[s] > sign * load[pick]) {
                pick = s;
            }
        }
        return pick;
    }

    /** Candidate {@code out} goes from slot {@code from} to {@code to}; with {@code back}, that one returns. */
    private record Step(int from, int to, int out, int back, double makespan) {}

    private static Step better(Step best, Step candidate) {
        return best == null || candidate.makespan() < best.makespan() ? candidate : best;
    }

    private static void move(List<List<Integer>> shares, double[] load, double[] cost, int from, int to, int i) {
        shares.get(from).remove(Integer.valueOf(i));
        shares.get(to).add(i);
        load[from] -= cost[i];
        load[to] += cost[i];
    }

    /** Longest first, ties in index order. */
    static int[] longestFirst(double[] cost) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < cost.length; i++) {
            order.add(i);
        }
        order.sort(byCostDescending(cost));
        return order.stream().mapToInt(Integer::intValue).toArray();
    }

    private static Comparator<Integer> byCostDescending(double[] cost) {
        return Comparator.comparingDouble((Integer i) -> -cost[i]).thenComparingInt(i -> i);
    }
}
