package org.munet.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.munet.evolution.CandidateSpec;
import org.munet.evolution.ComponentPlan;
import org.munet.evolution.KeepRule;
import org.munet.evolution.WorkerCaches;
import org.munet.system.HparamKeys;
import org.munet.system.ReferenceDefaults;
import org.munet.system.TaskSource;

class CandidateCostTest {

    private static final List<String> PATH = List.of("embedding", "cls", "posembed_input", "encoderblock_0",
            "encoderblock_1", "encoderblock_2", "encoder_norm", "head");

    /** The default tiny ViT's path, the named components trainable, every other one shared. */
    static CandidatePlan plan(int steps, List<String> trainable) {
        Map<String, Object> h = new TreeMap<>(ReferenceDefaults.hparams(28, 3));
        h.put(HparamKeys.NUM_CLASSES, 10);
        List<ComponentPlan> components = new ArrayList<>();
        for (int i = 0; i < PATH.size(); i++) {
            String name = PATH.get(i);
            components.add(trainable.contains(name)
                    ? new ComponentPlan(name, 100 + i, ComponentPlan.Action.CLONE, i, "sha")
                    : new ComponentPlan(name, i, ComponentPlan.Action.REUSE, i, "sha"));
        }
        return CandidatePlan.of(new CandidateSpec(7, "mnist", TaskSource.named("mnist").resolved("file:/data/mnist",
                TaskSource.Format.IDX, Map.of()), ReferenceDefaults.DIMS, components, h, 1, 2, 128, 2, steps, 1280,
                new KeepRule(1.0, Double.NEGATIVE_INFINITY), 1, WorkerCaches.DEFAULTS));
    }

    @Test
    void aFrozenPrefixIsCheaperThanTrainingFromTheBottom() {
        double headOnly = CandidateCost.estimate(plan(100, List.of("encoder_norm", "head")));
        double topBlock = CandidateCost.estimate(plan(100, List.of("encoderblock_2", "head")));
        double fromEmbedding = CandidateCost.estimate(plan(100, List.of("embedding", "head")));
        double everything = CandidateCost.estimate(plan(100, PATH));
        assertTrue(headOnly < topBlock && topBlock < fromEmbedding && fromEmbedding < everything,
                headOnly + " " + topBlock + " " + fromEmbedding + " " + everything);
        // Measured on this model: training only the head takes about half the time of training from
        // the bottom (forward and validation are paid either way).
        assertTrue(fromEmbedding / headOnly > 1.8 && fromEmbedding / headOnly < 3.5, fromEmbedding / headOnly + "");
    }

    @Test
    void moreStepsCostMore() {
        assertTrue(CandidateCost.estimate(plan(200, List.of("head"))) > CandidateCost.estimate(plan(100,
                List.of("head"))));
    }

    @Test
    void oneSlotStartsLongestFirstWithTiesInTheirOwnOrder() {
        List<CandidatePlan> plans = List.of(
                plan(100, List.of("head")),
                plan(100, List.of("embedding", "head")),
                plan(100, List.of("encoderblock_1")),
                plan(100, List.of("embedding", "head")),
                plan(500, List.of("head")));
        assertArrayEquals(new int[] {4, 1, 3, 2, 0}, CandidateCost.startOrder(plans, 1));
        assertEquals(0, CandidateCost.startOrder(List.of(), 2).length);
    }
}
