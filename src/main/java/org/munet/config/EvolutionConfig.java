package org.munet.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * An experiment, as written in its YAML file. Every key is documented in
 * {@code deploy/configs/reference.yaml}; unknown keys are errors, and each section refuses values
 * that a YAML type check lets through but the engine cannot use, naming the key, the value and the
 * allowed range. A missing key is null: {@link Experiment} fills in its default.
 */
public record EvolutionConfig(
        @JsonProperty("seed") Long seed,
        @JsonProperty("data_dir") String dataDir,
        @JsonProperty("model") Model model,
        @JsonProperty("evolution") Evolution evolution,
        @JsonProperty("training") Training training,
        @JsonProperty("hparams") Map<String, Object> hparams,
        @JsonProperty("tasks") List<TaskEntry> tasks,
        @JsonProperty("root") Root root,
        @JsonProperty("state") State state) {

    /**
     * How much of its past a state keeps ({@code org.munet.store.Retention}): an operational setting,
     * so it is left out of the config's identity and may change between runs of one state.
     *
     * @param keepLastVersions the newest versions kept besides every end-of-task version (default 10)
     * @param keepAll keep every version ever committed, for research; nothing is collected
     */
    public record State(
            @JsonProperty("keep_last_versions") Integer keepLastVersions,
            @JsonProperty("keep_all") Boolean keepAll) {

        public State {
            atLeast("state.keep_last_versions", keepLastVersions, 1);
        }
    }

    /**
     * A pretrained ViT checkpoint the system's root is imported from (spec §1.5) instead of random
     * init; the checkpoint's dimensions become the system's. {@code evolve --root} overrides it.
     *
     * @param path a local path or Hadoop URI (file:, hdfs://, s3a://)
     * @param format safetensors or npz; null to tell from the path's extension
     */
    public record Root(
            @JsonProperty("path") String path,
            @JsonProperty("format") String format) {

        public Root {
            if (path == null || path.isBlank()) {
                throw new IllegalArgumentException("root.path is required in a root section: the checkpoint's"
                        + " path or URI, e.g. root: {path: hdfs://nn:8020/models/vit_ti16.npz}");
            }
            if (format != null && !format.equals("safetensors") && !format.equals("npz")) {
                throw new IllegalArgumentException("root.format must be safetensors or npz, got '" + format + "'");
            }
        }
    }

    /** Backbone dimensions and the default depth. */
    public record Model(
            @JsonProperty("image_size") Integer imageSize,
            @JsonProperty("patch_size") Integer patchSize,
            @JsonProperty("channels") Integer channels,
            @JsonProperty("hidden_size") Integer hiddenSize,
            @JsonProperty("mlp_dim") Integer mlpDim,
            @JsonProperty("num_heads") Integer numHeads,
            @JsonProperty("num_layers") Integer numLayers) {

        public Model {
            atLeast("model.image_size", imageSize, 1);
            atLeast("model.patch_size", patchSize, 1);
            atLeast("model.hidden_size", hiddenSize, 1);
            atLeast("model.mlp_dim", mlpDim, 1);
            atLeast("model.num_heads", numHeads, 1);
            atLeast("model.num_layers", numLayers, 1);
        }
    }

    /** The search: budget, auto-tune lists, structural mutations, scoring, baseline. */
    public record Evolution(
            @JsonProperty("candidates_per_generation") Integer candidatesPerGeneration,
            @JsonProperty("samples_per_task") Integer samplesPerTask,
            @JsonProperty("task_iterations") Integer taskIterations,
            @JsonProperty("auto_tune") String autoTune,
            @JsonProperty("num_layers_range") List<Integer> numLayersRange,
            @JsonProperty("mutate_adapters") Boolean mutateAdapters,
            @JsonProperty("force_finetune") List<String> forceFinetune,
            @JsonProperty("score_base") Double scoreBase,
            @JsonProperty("baseline") String baseline) {

        public Evolution {
            atLeast("evolution.candidates_per_generation", candidatesPerGeneration, 1);
            atLeast("evolution.samples_per_task", samplesPerTask, 1);
            atLeast("evolution.task_iterations", taskIterations, 1);
        }
    }

    /** Per-candidate training budget (spec §2.5, §8.3). */
    public record Training(
            @JsonProperty("batch_size") Integer batchSize,
            @JsonProperty("validations") Integer validations,
            @JsonProperty("max_train_examples_between_validations") Integer maxTrainExamplesBetweenValidations,
            @JsonProperty("max_validation_examples") Integer maxValidationExamples,
            @JsonProperty("threads_per_candidate") Integer threadsPerCandidate,
            @JsonProperty("task_data_cache_mb") Integer taskDataCacheMb,
            @JsonProperty("component_cache_mb") Integer componentCacheMb,
            @JsonProperty("prefix_cache_mb") Integer prefixCacheMb) {

        public Training {
            atLeast("training.batch_size", batchSize, 1);
            atLeast("training.validations", validations, 1);
            atLeast("training.max_train_examples_between_validations", maxTrainExamplesBetweenValidations, 1);
            atLeast("training.max_validation_examples", maxValidationExamples, 1);
            atLeast("training.threads_per_candidate", threadsPerCandidate, 1);
            atLeast("training.task_data_cache_mb", taskDataCacheMb, 0);
            atLeast("training.component_cache_mb", componentCacheMb, 0);
            atLeast("training.prefix_cache_mb", prefixCacheMb, 0);
        }
    }

    private static void atLeast(String key, Integer value, int min) {
        if (value != null && value < min) {
            throw new IllegalArgumentException(key + " must be at least " + min + ", got " + value);
        }
    }
}
