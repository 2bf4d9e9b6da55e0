package org.munet.evolution;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.munet.system.HparamKeys;
import org.munet.system.Population;
import org.munet.system.TaskPath;

/**
 * Data-augmentation hyperparameters, sampled once per generation and shared by all its candidates
 * (spec §3.7): the config defaults, overwritten by the task's current best path, then each tunable
 * key moved to a neighbour with the config's default mu (not an evolved one).
 */
public final class DataHparamSampler {

    private final PolicySettings settings;
    private final Scorer scorer;

    public DataHparamSampler(PolicySettings settings, Scorer scorer) {
        this.settings = settings;
        this.scorer = scorer;
    }

    public Map<String, Object> sample(Population population, String task, SplittableRandom rng) {
        TreeMap<String, Object> ds = new TreeMap<>();
        for (Map.Entry<String, Object> e : settings.defaults().asMap().entrySet()) {
            if (HparamKeys.isDataKey(e.getKey())) {
                ds.put(e.getKey(), e.getValue());
            }
        }
        if (settings.baseline()) {
            return ds;
        }
        TaskPath best = population.bestPath(task, p -> scorer.score(population, p));
        if (best != null) {
            for (String key : ds.keySet()) {
                ds.put(key, best.hparams().get(key));
            }
        }
        double mu = settings.defaultMu();
        for (Map.Entry<String, List<Object>> range : settings.searchSpace().ranges().entrySet()) {
            if (HparamKeys.isDataKey(range.getKey()) && rng.nextDouble() < mu) {
                ds.put(range.getKey(), SearchSpace.neighbour(ds.get(range.getKey()), range.getValue(),
                        rng.nextDouble()));
            }
        }
        return ds;
    }
}
