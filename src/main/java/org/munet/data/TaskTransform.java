package org.munet.data;

/**
 * One derivation step of a derived task (the {@code rot90} in {@code mnist/rot90}).
 *
 * <p>A transform is applied identically to every split of the parent task, so train, validation
 * and test of a derived task stay the same distribution. Implementations are deterministic and
 * never modify their input.
 */
public interface TaskTransform {

    /**
     * @param set a split of the parent task
     * @return the derived split (a new set; the input is untouched)
     */
    ImageSet apply(ImageSet set);

    /**
     * @param parentClasses number of classes of the parent task
     * @return number of classes of the derived task; the parent's, unless the derivation relabels
     * @throws DatasetException if the derivation does not fit the parent (e.g. a label subset
     *     naming a class the parent lacks)
     */
    default int numClasses(int parentClasses) {
        return parentClasses;
    }

    /**
     * @param parentNames the parent task's class names, in label order
     * @return the derived task's class names; the parent's, unless the derivation relabels
     */
    default java.util.List<String> classNames(java.util.List<String> parentNames) {
        return parentNames;
    }

    /** @return the derivation as written in task names, e.g. {@code permuted:7} */
    String token();
}
