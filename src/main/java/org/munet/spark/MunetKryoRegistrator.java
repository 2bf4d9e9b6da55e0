package org.munet.spark;

import com.esotericsoftware.kryo.Kryo;
import org.apache.spark.serializer.KryoRegistrator;
import org.munet.data.DataHparams;
import org.munet.evolution.CandidateResult;
import org.munet.evolution.CandidateSpec;
import org.munet.evolution.ComponentPlan;
import org.munet.evolution.KeepRule;
import org.munet.evolution.TestResult;
import org.munet.evolution.TestSpec;
import org.munet.evolution.WorkerCaches;
import org.munet.nn.LrSchedule;
import org.munet.nn.OptimizerHparams;
import org.munet.nn.TrainingBudget;
import org.munet.nn.VitConfig;
import org.munet.system.ModelDims;
import org.munet.system.TaskSource;
import org.munet.worker.CandidatePlan;

/**
 * Registers everything munet sends between driver and executors. Records are written component by
 * component ({@link RecordSerializer}), so the wire format is munet's own and independent of how
 * the JDK implements the collections inside them; {@code spark.kryo.registrationRequired=true}
 * catches anything unexpected. A new record or enum reachable from a plan or result is registered
 * here; a changed record component needs nothing.
 */
public final class MunetKryoRegistrator implements KryoRegistrator {

    @Override
    public void registerClasses(Kryo kryo) {
        record(kryo, ModelDims.class);
        record(kryo, ComponentPlan.class);
        kryo.register(ComponentPlan.Action.class);
        record(kryo, KeepRule.class);
        record(kryo, TaskSource.class);
        kryo.register(TaskSource.Format.class);
        record(kryo, WorkerCaches.class);
        record(kryo, CandidateSpec.class);
        record(kryo, CandidateResult.class);
        record(kryo, TestSpec.class);
        record(kryo, TestResult.class);
        // The executor's typed plan (worker/CandidatePlan), built and checked on the driver.
        record(kryo, VitConfig.class);
        record(kryo, OptimizerHparams.class);
        kryo.register(LrSchedule.class);
        record(kryo, DataHparams.class);
        record(kryo, TrainingBudget.class);
        record(kryo, CandidatePlan.class);
        // parallelize() and collect() ship each partition's elements as an array.
        kryo.register(CandidatePlan[].class);
        kryo.register(CandidateResult[].class);
        kryo.register(TestSpec[].class);
        kryo.register(TestResult[].class);
    }

    private static <T extends Record> void record(Kryo kryo, Class<T> type) {
        kryo.register(type, new RecordSerializer<>(type));
    }
}
