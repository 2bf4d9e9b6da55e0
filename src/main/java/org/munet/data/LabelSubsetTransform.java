package org.munet.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code labels:A-B} or {@code labels:A,B,...}: keeps only the examples of the listed classes and
 * relabels them {@code 0..k-1} in the listed order, so {@code labels:7,3} maps 7 to 0 and 3 to 1.
 * The derived task has {@code k} classes.
 */
public final class LabelSubsetTransform implements TaskTransform {

    private final int[] kept;
    private final String token;

    /**
     * @param kept the parent labels to keep, in new-label order; distinct and non-negative
     * @param token the derivation as written, for messages
     */
    public LabelSubsetTransform(int[] kept, String token) {
        if (kept.length == 0) {
            throw new DatasetException(token + ": keeps no labels");
        }
        for (int i = 0; i < kept.length; i++) {
            if (kept[i] < 0) {
                throw new DatasetException(token + ": label " + kept[i] + " is negative");
            }
            for (int j = 0; j < i; j++) {
                if (kept[j] == kept[i]) {
                    throw new DatasetException(token + ": label " + kept[i] + " is listed twice");
                }
            }
        }
        this.kept = kept.clone();
        this.token = token;
    }

    /** @return the kept parent labels, in new-label order */
    public int[] keptLabels() {
        return kept.clone();
    }

    @Override
    public ImageSet apply(ImageSet set) {
        int[] newLabel = new int[Math.max(set.numClasses(), Arrays.stream(kept).max().getAsInt() + 1)];
        Arrays.fill(newLabel, -1);
        for (int k = 0; k < kept.length; k++) {
            newLabel[kept[k]] = k;
        }
        int[] labels = set.labels();
        List<Integer> keep = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            if (newLabel[labels[i]] >= 0) {
                keep.add(i);
            }
        }
        int[] indices = keep.stream().mapToInt(Integer::intValue).toArray();
        ImageSet chosen = set.select(indices);
        int[] relabelled = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            relabelled[k] = newLabel[labels[indices[k]]];
        }
        return new ImageSet(set.name(), set.channels(), set.height(), set.width(), chosen.pixels(), relabelled,
            numClasses(set.numClasses()));
    }

    @Override
    public int numClasses(int parentClasses) {
        for (int label : kept) {
            if (label >= parentClasses) {
                throw new DatasetException(token + ": label " + label + " is >= num_classes " + parentClasses
                    + " of the parent task");
            }
        }
        return kept.length;
    }

    @Override
    public List<String> classNames(List<String> parentNames) {
        numClasses(parentNames.size());
        return Arrays.stream(kept).mapToObj(parentNames::get).toList();
    }

    @Override
    public String token() {
        return token;
    }
}
