package org.munet.spark;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.serializer.KryoRegistrator;
import org.munet.data.DataHparams;
import org.munet.evolution.CandidateResult;
import org.munet.evolution.CandidateSpec;
import org.munet.evolution.ComponentPlan;
import org.munet.evolution.TestResult;
import org.munet.evolution.TestSpec;
import org.munet.nn.LrSchedule;
import org.munet.nn.OptimizerHparams;
import org.munet.nn.TrainingBudget;
import org.munet.nn.VitConfig;
import org.munet.system.ModelDims;
import org.munet.worker.CandidatePlan;

/**
 * Registers everything munet sends between driver and executors, each with an explicit
 * serializer: the wire format is then ours, independent of how the JDK implements the collections
 * inside a record, and {@code spark.kryo.registrationRequired=true} catches anything unexpected.
 */
public final class MunetKryoRegistrator implements KryoRegistrator {

    @Override
    public void registerClasses(Kryo kryo) {
        kryo.register(ModelDims.class, new DimsSerializer());
        kryo.register(ComponentPlan.class, new PlanSerializer());
        kryo.register(CandidateSpec.class, new SpecSerializer());
        kryo.register(CandidateResult.class, new ResultSerializer());
        kryo.register(TestSpec.class, new TestSpecSerializer());
        kryo.register(TestResult.class, new TestResultSerializer());
        kryo.register(VitConfig.class, new VitConfigSerializer());
        kryo.register(OptimizerHparams.class, new OptimizerSerializer());
        kryo.register(DataHparams.class, new DataHparamsSerializer());
        kryo.register(TrainingBudget.class, new BudgetSerializer());
        kryo.register(CandidatePlan.class, new CandidatePlanSerializer());
        kryo.register(CandidateSpec[].class);
        kryo.register(CandidatePlan[].class);
        kryo.register(CandidateResult[].class);
        kryo.register(TestSpec[].class);
        kryo.register(TestResult[].class);
    }

    static final class DimsSerializer extends Serializer<ModelDims> {
        @Override
        public void write(Kryo kryo, Output out, ModelDims d) {
            out.writeInt(d.patchSize());
            out.writeInt(d.channels());
            out.writeInt(d.hiddenSize());
            out.writeInt(d.mlpDim());
            out.writeInt(d.numHeads());
        }

        @Override
        public ModelDims read(Kryo kryo, Input in, Class<ModelDims> type) {
            return new ModelDims(in.readInt(), in.readInt(), in.readInt(), in.readInt(), in.readInt());
        }
    }

    static final class PlanSerializer extends Serializer<ComponentPlan> {
        @Override
        public void write(Kryo kryo, Output out, ComponentPlan p) {
            out.writeString(p.name());
            out.writeLong(p.id());
            out.writeByte(p.action().ordinal());
            out.writeLong(p.sourceId());
            out.writeString(p.sourceSha256());
        }

        @Override
        public ComponentPlan read(Kryo kryo, Input in, Class<ComponentPlan> type) {
            return new ComponentPlan(in.readString(), in.readLong(), ComponentPlan.Action.values()[in.readByte()],
                    in.readLong(), in.readString());
        }
    }

    static final class SpecSerializer extends Serializer<CandidateSpec> {
        @Override
        public void write(Kryo kryo, Output out, CandidateSpec s) {
            out.writeLong(s.pathId());
            out.writeString(s.task());
            out.writeString(s.dataDir());
            kryo.writeObject(out, s.dims());
            writePlans(kryo, out, s.components());
            writeHparams(out, s.hparams());
            out.writeLong(s.initSeed());
            out.writeLong(s.dataSeed());
            out.writeInt(s.batchSize());
            out.writeInt(s.validations());
            out.writeInt(s.stepsPerValidation());
            out.writeInt(s.maxValidationExamples());
            out.writeDouble(s.initialBestScore());
            out.writeDouble(s.scoreBase());
            out.writeLong(s.rootParams());
            out.writeDouble(s.accountedParams());
            out.writeInt(s.threads());
        }

        @Override
        public CandidateSpec read(Kryo kryo, Input in, Class<CandidateSpec> type) {
            return new CandidateSpec(in.readLong(), in.readString(), in.readString(), kryo.readObject(in, ModelDims.class),
                    readPlans(kryo, in), readHparams(in), in.readLong(), in.readLong(), in.readInt(), in.readInt(),
                    in.readInt(), in.readInt(), in.readDouble(), in.readDouble(), in.readLong(), in.readDouble(),
                    in.readInt());
        }
    }

    static final class VitConfigSerializer extends Serializer<VitConfig> {
        @Override
        public void write(Kryo kryo, Output out, VitConfig c) {
            kryo.writeObject(out, c.dims());
            out.writeInt(c.imageSize());
            out.writeInt(c.numLayers());
        }

        @Override
        public VitConfig read(Kryo kryo, Input in, Class<VitConfig> type) {
            return new VitConfig(kryo.readObject(in, ModelDims.class), in.readInt(), in.readInt());
        }
    }

    static final class OptimizerSerializer extends Serializer<OptimizerHparams> {
        @Override
        public void write(Kryo kryo, Output out, OptimizerHparams o) {
            out.writeDouble(o.lr());
            out.writeString(o.schedule().key());
            out.writeDouble(o.warmupRatio());
            out.writeDouble(o.momentum());
            out.writeBoolean(o.nesterov());
        }

        @Override
        public OptimizerHparams read(Kryo kryo, Input in, Class<OptimizerHparams> type) {
            return new OptimizerHparams(in.readDouble(), LrSchedule.fromKey(in.readString()), in.readDouble(),
                    in.readDouble(), in.readBoolean());
        }
    }

    static final class DataHparamsSerializer extends Serializer<DataHparams> {
        @Override
        public void write(Kryo kryo, Output out, DataHparams d) {
            out.writeInt(d.imageSize());
            out.writeBoolean(d.crop());
            out.writeDouble(d.areaRangeMin());
            out.writeDouble(d.aspectRatioRangeMin());
            out.writeBoolean(d.flipLeftRight());
            out.writeDouble(d.brightnessDelta());
            out.writeDouble(d.contrastDelta());
            out.writeDouble(d.saturationDelta());
            out.writeDouble(d.hueDelta());
        }

        @Override
        public DataHparams read(Kryo kryo, Input in, Class<DataHparams> type) {
            return new DataHparams(in.readInt(), in.readBoolean(), in.readDouble(), in.readDouble(), in.readBoolean(),
                    in.readDouble(), in.readDouble(), in.readDouble(), in.readDouble());
        }
    }

    static final class BudgetSerializer extends Serializer<TrainingBudget> {
        @Override
        public void write(Kryo kryo, Output out, TrainingBudget b) {
            out.writeInt(b.validations());
            out.writeInt(b.stepsPerValidation());
        }

        @Override
        public TrainingBudget read(Kryo kryo, Input in, Class<TrainingBudget> type) {
            return new TrainingBudget(in.readInt(), in.readInt());
        }
    }

    static final class CandidatePlanSerializer extends Serializer<CandidatePlan> {
        @Override
        public void write(Kryo kryo, Output out, CandidatePlan p) {
            kryo.writeObject(out, p.spec());
            kryo.writeObject(out, p.model());
            out.writeInt(p.numClasses());
            out.writeInt(p.adapterDim());
            kryo.writeObject(out, p.optimizer());
            kryo.writeObject(out, p.data());
            kryo.writeObject(out, p.budget());
        }

        @Override
        public CandidatePlan read(Kryo kryo, Input in, Class<CandidatePlan> type) {
            return new CandidatePlan(kryo.readObject(in, CandidateSpec.class), kryo.readObject(in, VitConfig.class),
                    in.readInt(), in.readInt(), kryo.readObject(in, OptimizerHparams.class),
                    kryo.readObject(in, DataHparams.class), kryo.readObject(in, TrainingBudget.class));
        }
    }

    static final class TestSpecSerializer extends Serializer<TestSpec> {
        @Override
        public void write(Kryo kryo, Output out, TestSpec s) {
            out.writeLong(s.pathId());
            out.writeString(s.task());
            out.writeString(s.dataDir());
            kryo.writeObject(out, s.dims());
            writePlans(kryo, out, s.components());
            writeHparams(out, s.hparams());
        }

        @Override
        public TestSpec read(Kryo kryo, Input in, Class<TestSpec> type) {
            return new TestSpec(in.readLong(), in.readString(), in.readString(), kryo.readObject(in, ModelDims.class),
                    readPlans(kryo, in), readHparams(in));
        }
    }

    static final class ResultSerializer extends Serializer<CandidateResult> {
        @Override
        public void write(Kryo kryo, Output out, CandidateResult r) {
            out.writeLong(r.pathId());
            out.writeInt(r.evals().size());
            for (double e : r.evals()) {
                out.writeDouble(e);
            }
            out.writeDouble(r.quality());
            out.writeBoolean(r.improved());
            out.writeInt(r.stagedSha256().size());
            for (Map.Entry<Long, String> e : r.stagedSha256().entrySet()) {
                out.writeLong(e.getKey());
                out.writeString(e.getValue());
            }
            out.writeDouble(r.trainSeconds());
            out.writeDouble(r.workerSeconds());
            out.writeDouble(r.samplesPerSecond());
            out.writeString(r.failure());
        }

        @Override
        public CandidateResult read(Kryo kryo, Input in, Class<CandidateResult> type) {
            long id = in.readLong();
            List<Double> evals = new ArrayList<>();
            for (int i = in.readInt(); i > 0; i--) {
                evals.add(in.readDouble());
            }
            double quality = in.readDouble();
            boolean improved = in.readBoolean();
            Map<Long, String> staged = new LinkedHashMap<>();
            for (int i = in.readInt(); i > 0; i--) {
                staged.put(in.readLong(), in.readString());
            }
            return new CandidateResult(id, evals, quality, improved, staged, in.readDouble(), in.readDouble(),
                    in.readDouble(), in.readString());
        }
    }

    static final class TestResultSerializer extends Serializer<TestResult> {
        @Override
        public void write(Kryo kryo, Output out, TestResult r) {
            out.writeLong(r.pathId());
            out.writeDouble(r.accuracy());
            out.writeLong(r.examples());
            out.writeString(r.predictionsSha256());
            out.writeDouble(r.seconds());
        }

        @Override
        public TestResult read(Kryo kryo, Input in, Class<TestResult> type) {
            return new TestResult(in.readLong(), in.readDouble(), in.readLong(), in.readString(), in.readDouble());
        }
    }

    private static void writePlans(Kryo kryo, Output out, List<ComponentPlan> plans) {
        out.writeInt(plans.size());
        for (ComponentPlan p : plans) {
            kryo.writeObject(out, p);
        }
    }

    private static List<ComponentPlan> readPlans(Kryo kryo, Input in) {
        List<ComponentPlan> plans = new ArrayList<>();
        for (int i = in.readInt(); i > 0; i--) {
            plans.add(kryo.readObject(in, ComponentPlan.class));
        }
        return plans;
    }

    /** Hyperparameter values are doubles, ints, booleans or strings (see HparamKeys). */
    private static void writeHparams(Output out, Map<String, Object> h) {
        out.writeInt(h.size());
        for (Map.Entry<String, Object> e : h.entrySet()) {
            out.writeString(e.getKey());
            Object v = e.getValue();
            if (v instanceof Double d) {
                out.writeByte('d');
                out.writeDouble(d);
            } else if (v instanceof Integer i) {
                out.writeByte('i');
                out.writeInt(i);
            } else if (v instanceof Boolean b) {
                out.writeByte('b');
                out.writeBoolean(b);
            } else if (v instanceof String s) {
                out.writeByte('s');
                out.writeString(s);
            } else {
                throw new IllegalArgumentException("hyperparameter " + e.getKey() + " has unsupported type "
                        + v.getClass().getName());
            }
        }
    }

    private static Map<String, Object> readHparams(Input in) {
        Map<String, Object> h = new TreeMap<>();
        for (int i = in.readInt(); i > 0; i--) {
            String key = in.readString();
            byte tag = in.readByte();
            switch (tag) {
                case 'd':
                    h.put(key, in.readDouble());
                    break;
                case 'i':
                    h.put(key, in.readInt());
                    break;
                case 'b':
                    h.put(key, in.readBoolean());
                    break;
                case 's':
                    h.put(key, in.readString());
                    break;
                default:
                    throw new IllegalStateException("corrupt hyperparameter tag " + tag + " for " + key);
            }
        }
        return h;
    }
}
