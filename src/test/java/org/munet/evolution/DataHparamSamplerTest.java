package org.munet.evolution;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.munet.system.Hyperparams;
import org.munet.system.Population;
import org.munet.system.TaskPath;
import org.munet.testing.PopulationBuilder;

/** Per-generation data hparams (spec §3.7). */
class DataHparamSamplerTest {

    private static final Scorer SCORER = new Scorer(1.0, 1000);

    /** The 9 ds_* defaults of the fixture, written out by hand. */
    private static Map<String, Object> defaultDs() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ds_area_range_min", 0.05);
        m.put("ds_aspect_ratio_range_min", 0.75);
        m.put("ds_brightness_delta", 0.0);
        m.put("ds_contrast_delta", 0.0);
        m.put("ds_crop", true);
        m.put("ds_flip_left_right", true);
        m.put("ds_hue_delta", 0.0);
        m.put("ds_image_size", 28);
        m.put("ds_saturation_delta", 0.0);
        return m;
    }

    private static TaskPath pathWith(PopulationBuilder pop, String task, double quality, Hyperparams h) {
        return pop.addPath(new TaskPath(pop.newPathId(), task, null, List.of(), h, PolicyFixtures.quality(quality)));
    }

    @Test
    void baselineReturnsTheDefaultsAndDrawsNothing() {
        Hyperparams defaults = PolicyFixtures.hparams(1.0);
        DataHparamSampler s = new DataHparamSampler(
                PolicyFixtures.settings(defaults, SearchSpace.v2(), false, true), SCORER);
        PopulationBuilder pop = new PopulationBuilder();
        pathWith(pop, "A", 0.9, defaults.with("ds_area_range_min", 0.5)); // a best path is ignored
        SplittableRandom rng = new SplittableRandom(5);
        assertEquals(defaultDs(), s.sample(pop.get(), "A", rng));
        assertEquals(new SplittableRandom(5).nextLong(), rng.nextLong());
    }

    @Test
    void withoutBestPathAndMuZeroTheDefaults() {
        Hyperparams defaults = PolicyFixtures.hparams(0.0);
        DataHparamSampler s = new DataHparamSampler(
                PolicyFixtures.settings(defaults, SearchSpace.v2(), false, false), SCORER);
        assertEquals(defaultDs(), s.sample(Population.empty(0, 0), "A", new SplittableRandom(1)));
    }

    @Test
    void bestPathValuesAreUsedAndMuZeroNeverMoves() {
        Hyperparams defaults = PolicyFixtures.hparams(0.0);
        DataHparamSampler s = new DataHparamSampler(
                PolicyFixtures.settings(defaults, SearchSpace.v2(), false, false), SCORER);
        PopulationBuilder pop = new PopulationBuilder();
        pathWith(pop, "A", 0.7, defaults.with("ds_area_range_min", 0.2).with("ds_crop", false));
        pathWith(pop, "A", 0.9, defaults.with("ds_area_range_min", 0.5).with("ds_hue_delta", 0.1)
                .with("ds_image_size", 14).with("_mu_", 0.3).with("opt_lr", 0.5)); // the best
        pathWith(pop, "B", 0.99, defaults.with("ds_area_range_min", 1.0)); // another task: ignored
        Map<String, Object> expected = defaultDs();
        expected.put("ds_area_range_min", 0.5);
        expected.put("ds_hue_delta", 0.1);
        expected.put("ds_image_size", 14);
        for (long seed = 0; seed < 20; seed++) {
            assertEquals(expected, s.sample(pop.get(), "A", new SplittableRandom(seed)));
        }
    }

    @Test
    void defaultMuMovesOnlyDataKeysOneDrawPairEach() {
        // Config default mu 1.0: every data key with a range is drawn and moved. Space (sorted):
        // _mu_ [0.1, 1.0]; ds_area_range_min [0.05, 0.1, 0.2]; ds_flip_left_right [true, false]; opt_lr [0.01, 0.02].
        // Only the ds keys draw: for each, u (< 1.0, always moves) then v (< 0.5 up, else down).
        Map<String, List<Object>> ranges = new LinkedHashMap<>();
        ranges.put("opt_lr", List.of(0.01, 0.02));
        ranges.put("ds_flip_left_right", List.of(true, false));
        ranges.put("ds_area_range_min", List.of(0.05, 0.1, 0.2));
        ranges.put("_mu_", List.of(0.1, 1.0));
        Hyperparams defaults = PolicyFixtures.hparams(1.0).with("ds_area_range_min", 0.1);
        DataHparamSampler s = new DataHparamSampler(
                PolicyFixtures.settings(defaults, new SearchSpace(ranges), false, false), SCORER);
        Set<String> outcomes = new java.util.HashSet<>();
        for (long seed = 0; seed < 40; seed++) {
            SplittableRandom rng = new SplittableRandom(seed);
            Map<String, Object> got = s.sample(Population.empty(0, 0), "A", rng);

            SplittableRandom twin = new SplittableRandom(seed);
            twin.nextDouble();                  // ds_area_range_min: u < 1.0
            double vArea = twin.nextDouble();   // 0.1 is index 1: up -> 0.2, down -> 0.05
            twin.nextDouble();                  // ds_flip_left_right: u < 1.0
            double vFlip = twin.nextDouble();   // true is index 0: up -> false, down -> stays true
            Map<String, Object> expected = defaultDs();
            expected.put("ds_area_range_min", vArea < 0.5 ? 0.2 : 0.05);
            expected.put("ds_flip_left_right", vFlip >= 0.5);
            assertEquals(expected, got, "seed " + seed);
            assertEquals(twin.nextLong(), rng.nextLong(), "exactly 4 draws, seed " + seed);
            outcomes.add(got.get("ds_area_range_min") + "/" + got.get("ds_flip_left_right"));
        }
        assertEquals(4, outcomes.size()); // every branch was exercised
    }
}
