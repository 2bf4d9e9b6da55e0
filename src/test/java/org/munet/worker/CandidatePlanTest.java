package org.munet.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
        Map<String, Object> h = new TreeMap<>(ReferenceDefaults.hparams(28, 2));
        h.putAll(changes);
        return new CandidateSpec(7, "mnist", TaskSource.named("mnist").resolved("file:/data/mnist",
                TaskSource.Format.IDX, Map.of()), ReferenceDefaults.DIMS,
                List.of(new ComponentPlan("head", 12, ComponentPlan.Action.NEW, -1, null)), h, 1, 2, 32, 3, 20,
                256, new KeepRule(1.0, Double.NEGATIVE_INFINITY), 1, WorkerCaches.DEFAULTS);
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
