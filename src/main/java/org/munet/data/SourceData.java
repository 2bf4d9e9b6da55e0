package org.munet.data;

import java.util.List;

/**
 * A base dataset as read from where it lives, before the reference's split rule and any
 * derivation: what a {@link FormatReader} returns.
 *
 * @param train the train split (all of it when {@code validation} is null)
 * @param validation the validation split as stored, or null: then it is the reference's first 5 %
 *     of {@code train} ({@link Datasets})
 * @param test the test split
 * @param classNames one name per class, in label order (label {@code i} is {@code classNames[i]})
 */
public record SourceData(ImageSet train, ImageSet validation, ImageSet test, List<String> classNames) {

    public SourceData {
        classNames = List.copyOf(classNames);
        if (classNames.size() != train.numClasses()) {
            throw new DatasetException(train.name() + ": " + classNames.size() + " class names for "
                    + train.numClasses() + " classes");
        }
    }
}
