package org.munet.serve;

import java.util.List;
import org.munet.nn.VitConfig;

/**
 * What a user of one task's model needs to know besides its weights: where it came from, its
 * backbone, its adapters, its classes, and the test figures the state recorded for it.
 *
 * @param task the task name, e.g. {@code mnist/rot90}
 * @param source where the model was loaded from: a state directory or an export directory (a URI)
 * @param version the state version the path was read from; -1 for an export that does not say
 * @param pathId the path's id in its state
 * @param vit the backbone: patch size, channels, widths, heads, image size, encoder blocks
 * @param adapterLayers encoder layers preceded by a residual adapter, ascending
 * @param adapterDim the adapters' bottleneck width
 * @param classNames one name per class, in label order
 * @param testAccuracy the test accuracy the state recorded for the path, or null
 * @param testPredictionsSha256 SHA-256 of the recorded test predictions (one byte each), or null
 */
public record TaskModelInfo(String task, String source, long version, long pathId, VitConfig vit,
        List<Integer> adapterLayers, int adapterDim, List<String> classNames, Double testAccuracy,
        String testPredictionsSha256) {

    public TaskModelInfo {
        adapterLayers = List.copyOf(adapterLayers);
        classNames = List.copyOf(classNames);
    }

    public int numClasses() {
        return classNames.size();
    }
}
