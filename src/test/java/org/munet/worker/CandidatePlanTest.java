package org.munet.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.munet.data.DataHparams;
import org.munet.evolution.CandidateSpec;
import org.munet.evolution.ComponentPlan;
import org.munet.evolution.KeepRule;
import org.munet.evolution.WorkerCaches;
import org.munet.nn.LrSchedule;
import org.munet.nn.OptimizerHparams;
import org.munet.nn.VitConfig;
import org.munet.system.HparamKeys;
import org.munet.system.ReferenceDefaults;
import org.munet.system.TaskSource;

class CandidatePlanTest {

    static CandidateSpec spec(Map<String, Object> changes) {
        return spec(changes, List.of(new ComponentPlan("head", 12, ComponentPlan.Action.NEW, -1, null)));
    }

    static CandidateSpec spec(Map<String, Object> changes, List<ComponentPlan> components) {
        Map<String, Object> h = new TreeMap<>(ReferenceDefaults.hparams(28, 2));
        h.putAll(changes);
        return new CandidateSpec(7, "mnist", TaskSource.named("mnist").resolved("file:/data/mnist",
                TaskSource.Format.IDX, Map.of()), ReferenceDefaults.DIMS, components, h, 1, 2, 32, 3, 20,
                256, new KeepRule(1.0, Double.NEGATIVE_INFINITY), 1, WorkerCaches.DEFAULTS);
    }

    /** A two-block path: the components named in {@code frozen} shared (ids 0-6), the rest fresh (ids 10-16). */
    static List<ComponentPlan> path(String... frozen) {
        List<String> names = List.of("embedding", "cls", "posembed_input", "encoderblock_0", "encoderblock_1",
                "encoder_norm", "head");
        List<ComponentPlan> out = new java.util.ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            out.add(List.of(frozen).contains(names.get(i))
                    ? new ComponentPlan(names.get(i), i, ComponentPlan.Action.REUSE, i, "sha" + i)
                    : new ComponentPlan(names.get(i), 10 + i, ComponentPlan.Action.NEW, -1, null));
        }
        return out;
    }

    @Test
    void aGenerationsPlansSayWhichShareTheirTrainingPrefix() {
        Map<String, Object> flips = Map.of(HparamKeys.DS_FLIP_LEFT_RIGHT, true);
        Map<String, Object> noFlips = Map.of(HparamKeys.DS_FLIP_LEFT_RIGHT, false);
        List<CandidatePlan> plans = CandidatePlan.of(List.of(
                spec(flips, path("embedding", "cls")),
                spec(flips, path("embedding", "cls", "posembed_input")),
                spec(flips, path("embedding", "cls")),
                spec(noFlips, path("embedding", "cls", "posembed_input")), // other training batches
                spec(flips, path()),
                spec(flips, path()),
                spec(flips, path("embedding", "cls", "posembed_input", "encoderblock_0", "encoderblock_1")),
                spec(flips, path("embedding", "cls", "posembed_input", "encoderblock_0", "encoderblock_1"))));
        assertEquals(List.of(true, false, true, false, false, false, true, true),
                plans.stream().map(CandidatePlan::prefixShared).toList());
        assertEquals(List.of(false), CandidatePlan.of(List.of(spec(flips, path("embedding")))).stream()
                .map(CandidatePlan::prefixShared).toList(), "alone, nobody reads its training prefix");
    }

    @Test
    void aPrefixThatEndsTheEncoderIsAnotherFormThanTheSameComponentsBelowABlock() {
        TrainingPrefix wholeEncoder = TrainingPrefix.of(CandidatePlan.of(spec(Map.of(),
                path("embedding", "cls", "posembed_input", "encoderblock_0", "encoderblock_1"))));
        assertTrue(wholeEncoder.classTokenOnly());
        List<ComponentPlan> withBlockAbove = new java.util.ArrayList<>(
                path("embedding", "cls", "posembed_input", "encoderblock_0", "encoderblock_1"));
        withBlockAbove.add(5, new ComponentPlan("encoderblock_2", 20, ComponentPlan.Action.NEW, -1, null));
        TrainingPrefix belowABlock = TrainingPrefix.of(CandidatePlan.of(spec(Map.of(), withBlockAbove)));
        assertEquals(wholeEncoder.components(), belowABlock.components());
        assertFalse(belowABlock.classTokenOnly());
        assertNull(TrainingPrefix.of(CandidatePlan.of(spec(Map.of(), path()))));
    }

    @Test
    void theSpecsHyperparametersBecomeTypedSettings() {
        CandidatePlan plan = CandidatePlan.of(spec(Map.of(HparamKeys.NUM_CLASSES, 10,
                HparamKeys.OPT_LR_SCHEDULE, "restarts", HparamKeys.ADAPTER_DIM, 8)));
        assertEquals(new VitConfig(ReferenceDefaults.DIMS, 28, 2), plan.model());
        assertEquals(new OptimizerHparams(0.01, LrSchedule.RESTARTS, 0.1, 0.9, false), plan.optimizer());
        assertEquals(DataHparams.defaults(28), plan.data());
        assertEquals(60, plan.budget().totalSteps());
        assertEquals(10, plan.numClasses());
        assertEquals(8, plan.adapterDim());
        assertEquals(plan.model(), plan.componentFactory().config());
    }

    @Test
    void aValueTheWorkerCannotUseFailsOnTheDriver() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CandidatePlan.of(spec(Map.of(HparamKeys.OPT_LR_SCHEDULE, "linear"))));
        assertTrue(e.getMessage().contains("unknown opt_lr_schedule 'linear'"), e.getMessage());
    }
}
