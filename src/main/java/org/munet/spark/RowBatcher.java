package org.munet.spark;

import ai.djl.Device;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.munet.data.DatasetException;
import org.munet.data.DecodedImage;
import org.munet.data.ImageDecoder;
import org.munet.data.SparkImage;
import org.munet.serve.ModelInput;
import org.munet.serve.Prediction;
import org.munet.serve.Predictor;
import org.munet.serve.TaskModel;
import org.munet.serve.TaskModels;

/**
 * One chunk of a partition's rows through their tasks' paths: rows grouped by task, each group one
 * forward pass, the outputs put back in the rows' order. A row that cannot be read (or names a
 * task the models lack) gets its reason instead of a prediction; the others are predicted.
 */
final class RowBatcher {

    private final MunetClassifier.PartitionPredictor job;
    private final Device device;

    RowBatcher(MunetClassifier.PartitionPredictor job, Device device) {
        this.job = job;
        this.device = device;
    }

    List<Row> predict(List<Row> chunk) {
        Object[][] outputs = new Object[chunk.size()][];
        for (Map.Entry<String, List<Integer>> group : job.byTask(chunk).entrySet()) {
            predictTask(group.getKey(), group.getValue(), chunk, outputs);
        }
        List<Row> out = new ArrayList<>(chunk.size());
        for (int i = 0; i < chunk.size(); i++) {
            out.add(MunetClassifier.PartitionPredictor.append(chunk.get(i), outputs[i]));
        }
        return out;
    }

    private void predictTask(String task, List<Integer> positions, List<Row> chunk, Object[][] outputs) {
        TaskModel model;
        try {
            if (task == null) {
                throw new IllegalArgumentException("the row names no task (null in the task column)");
            }
            model = TaskModels.jvm().get(job.ref, task, job.hadoop.value(), device);
        } catch (IllegalArgumentException e) {
            // An unknown task is a property of the row, not of the job: the other rows go on.
            for (int p : positions) {
                outputs[p] = job.failed(e.getMessage());
            }
            return;
        }
        ModelInput input = new ModelInput(model.info());
        float[] inputs = new float[positions.size() * input.size()];
        List<Integer> readable = new ArrayList<>();
        for (int p : positions) {
            try {
                fill(input, chunk.get(p), p, inputs, readable.size() * input.size());
                readable.add(p);
            } catch (DatasetException | IllegalArgumentException e) {
                outputs[p] = job.failed(e.getMessage());
            }
        }
        if (readable.isEmpty()) {
            return;
        }
        float[] logits = new Predictor(model, TaskModels.jvm().manager(device)).logits(inputs, readable.size());
        int classes = model.info().numClasses();
        for (int k = 0; k < readable.size(); k++) {
            Prediction pr = Prediction.of(logits, k * classes, model.info().classNames(), job.topK);
            List<Row> top = new ArrayList<>();
            for (Prediction.Scored s : pr.topK()) {
                top.add(RowFactory.create(s.label(), s.className(), s.probability()));
            }
            float[] own = job.withLogits ? java.util.Arrays.copyOfRange(logits, k * classes, (k + 1) * classes) : null;
            outputs[readable.get(k)] = job.outputs(pr.label(), pr.className(), top, own, null);
        }
    }

    /** Reads row {@code position}'s image into {@code out[offset, ...)}. */
    private void fill(ModelInput input, Row row, int position, float[] out, int offset) {
        if (row.isNullAt(job.inputIndex)) {
            throw new DatasetException("the image is null");
        }
        switch (job.kind) {
            case ENCODED -> input.fill(ImageDecoder.decode(row.getAs(job.inputIndex), where(position)), out, offset);
            case SPARK_IMAGE -> input.fill(sparkImage(row.getStruct(job.inputIndex), where(position)), out, offset);
            case FLOATS -> input.fill(floats(row.getList(job.inputIndex)), where(position), out, offset);
            default -> throw new AssertionError(job.kind);
        }
    }

    private static DecodedImage sparkImage(Row s, String where) {
        for (String f : List.of("height", "width", "nChannels", "mode", "data")) {
            if (s.isNullAt(s.fieldIndex(f))) {
                throw new DatasetException(where + ": the image struct's " + f + " is null");
            }
        }
        String origin = hasField(s, "origin") && !s.isNullAt(s.fieldIndex("origin"))
                ? s.getString(s.fieldIndex("origin")) : where;
        return SparkImage.toImage(origin, s.getInt(s.fieldIndex("height")), s.getInt(s.fieldIndex("width")),
                s.getInt(s.fieldIndex("nChannels")), s.getInt(s.fieldIndex("mode")), s.getAs("data"));
    }

    private static boolean hasField(Row s, String name) {
        return java.util.Arrays.asList(s.schema().fieldNames()).contains(name);
    }

    private static float[] floats(List<Object> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) values.get(i)).floatValue();
        }
        return out;
    }

    private static String where(int position) {
        return "row " + position + " of its batch";
    }
}
