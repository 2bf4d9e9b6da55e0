package org.munet.nn;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import org.munet.data.Batch;

final class TrainSmokeMain {
    public static void main(String[] args) {
        try (NDManager m = NDManager.newBaseManager()) {
            VitConfig cfg = VitConfig.tiny();
            PathModel model = FreshPath.model(m, new ComponentFactory(cfg, 4, 16), 0);
            SyntheticBatches train = new SyntheticBatches(1, 128, 28);
            SyntheticBatches val = new SyntheticBatches(2, 128, 28);
            List<Batch> vb = new ArrayList<>();
            for (int i = 0; i < 4; i++) vb.add(val.next());
            CandidateTrainer t = new CandidateTrainer(m, 1);
            TrainingResult r = t.train(model, OptimizerHparams.defaults(), new TrainingBudget(3, 100),
                    train, vb, 4, Double.NEGATIVE_INFINITY, q -> q,
                    (i, s, a, sc, snap) -> System.out.println("val " + i + " step " + s + " acc " + a));
            System.out.println(r + " sps=" + r.samplesPerSecond());
        }
    }
}
