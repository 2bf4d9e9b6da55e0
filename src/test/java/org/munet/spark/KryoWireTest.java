package org.munet.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import org.munet.evolution.CandidateResult;
import org.munet.evolution.CandidateSpec;
import org.munet.evolution.ComponentPlan;
import org.munet.evolution.KeepRule;
import org.munet.evolution.TestResult;
import org.munet.evolution.TestSpec;
import org.munet.evolution.WorkerCaches;
import org.munet.system.ModelDims;
import org.munet.system.ReferenceDefaults;
import org.munet.system.TaskSource;
import org.munet.worker.CandidatePlan;
import scala.reflect.ClassTag$;

/** What crosses the wire round-trips through Spark's Kryo with registration required. */
class KryoWireTest {

    private static final TaskSource IDX = TaskSource.named("mnist").resolved("file:/data/mnist", TaskSource.Format.IDX,
            Map.of());


    private static SerializerInstance kryo() {
        SparkConf conf = new SparkConf(false)
                .set("spark.kryo.registrator", MunetKryoRegistrator.class.getName())
                .set("spark.kryo.registrationRequired", "true");
        return new KryoSerializer(conf).newInstance();
    }

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(SerializerInstance k, T value) {
        ByteBuffer bytes = k.serialize(value, ClassTag$.MODULE$.apply(value.getClass()));
        return (T) k.deserialize(bytes, ClassTag$.MODULE$.apply(value.getClass()));
    }

    @Test
    void specsAndResultsRoundTrip() {
        SerializerInstance k = kryo();
        Map<String, Object> h = new TreeMap<>(Map.of("_mu_", 0.2, "num_layers", 3, "opt_nesterov", true,
                "opt_lr_schedule", "cosine", "adapter_layers", ""));
        List<ComponentPlan> plans = List.of(
                new ComponentPlan("embedding", 0, ComponentPlan.Action.REUSE, 0, "ab"),
                new ComponentPlan("head", 12, ComponentPlan.Action.NEW, -1, null));
        // A Parquet source: every kind of field a source has (nulls, a split map, declared classes).
        TaskSource source = new TaskSource("pets", "hdfs://127.0.0.1:9000/data/pets", TaskSource.Format.PARQUET,
                "image", null, null, Map.of("train", "hdfs://h/t.parquet", "test", "hdfs://h/e.parquet"), null,
                List.of("cat", "dog"), true);
        CandidateSpec spec = new CandidateSpec(7, "private:mnist/rot90", source, new ModelDims(7, 1, 64, 128, 4),
                plans, h, 0, 99, 128, 3, 150, 2560, new KeepRule(0.9, Double.NEGATIVE_INFINITY), 1,
                new WorkerCaches(1L << 30, 5L << 20, 7L << 20));
        assertEquals(spec, roundTrip(k, spec));
        CandidateResult result = new CandidateResult(7, List.of(0.5, 0.75), 0.75, true, Map.of(12L, "cd"), 3.5,
                4.25, null);
        assertEquals(result, roundTrip(k, result));
        CandidateResult failed = CandidateResult.failed(8, "loss became NaN", 1.0);
        CandidateResult back = roundTrip(k, failed);
        assertEquals(failed.failure(), back.failure());
        assertEquals(Double.NaN, back.quality());
        TestSpec test = new TestSpec(7, "mnist", IDX, new ModelDims(7, 1, 64, 128, 4), plans, h,
                WorkerCaches.DEFAULTS);
        assertEquals(test, roundTrip(k, test));
        TestResult tr = new TestResult(7, 0.97, 10000, "ef", 2.0);
        assertEquals(tr, roundTrip(k, tr));
    }

    @Test
    void candidatePlansRoundTrip() {
        Map<String, Object> h = new TreeMap<>(ReferenceDefaults.hparams(28, 3));
        h.put("opt_lr_schedule", "restarts");
        CandidateSpec spec = new CandidateSpec(7, "mnist", IDX, ReferenceDefaults.DIMS,
                List.of(new ComponentPlan("head", 12, ComponentPlan.Action.NEW, -1, null)), h, 0, 99, 128, 3, 150,
                2560, new KeepRule(1.0, 0.5), 1, WorkerCaches.DEFAULTS);
        CandidatePlan plan = CandidatePlan.of(spec);
        assertEquals(plan, roundTrip(kryo(), plan));
    }

    @Test
    void unregisteredClassesAreRefused() {
        SerializerInstance k = kryo();
        assertThrows(IllegalArgumentException.class, () -> roundTrip(k, new java.awt.Point(1, 2)));
    }
}
