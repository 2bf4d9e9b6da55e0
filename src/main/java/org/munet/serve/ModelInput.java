package org.munet.serve;

import org.munet.data.DataHparams;
import org.munet.data.DatasetException;
import org.munet.data.DecodedImage;
import org.munet.data.ImageSet;
import org.munet.data.Preprocessor;

/**
 * One input image as a model input: exactly the test pass's preprocessing (scale to [-1, 1],
 * bilinear half-pixel resize to the path's image size, gray tiled to RGB or RGB to luma as the
 * model's channels ask), so that a prediction equals what the state's test pass computed.
 *
 * <p>Deliberate deviation for image folders of mixed sizes: training stores such a task at its
 * most common size first and resizes from there; a prediction resizes each image from its own
 * size, which is what serving needs (there is no task to take a common size from).
 *
 * <p>Not thread-safe (the {@link Preprocessor}'s scratch arrays): one instance per partition.
 */
public final class ModelInput {

    private final TaskModelInfo info;
    private final DataHparams geometry;
    private final Preprocessor preprocessor = new Preprocessor();

    public ModelInput(TaskModelInfo info) {
        this.info = info;
        this.geometry = DataHparams.none(info.vit().imageSize());
    }

    /** Floats per model input: channels x image size x image size. */
    public int size() {
        int s = info.vit().imageSize();
        return info.vit().channels() * s * s;
    }

    /** Preprocesses a decoded image into {@code out[offset, offset + size())}. */
    public void fill(DecodedImage image, float[] out, int offset) {
        ImageSet one = new ImageSet("input", image.channels(), image.height(), image.width(), image.pixels(),
                new int[1], 1);
        preprocessor.fill(one, 0, geometry, false, info.vit().channels(), null, out, offset);
    }

    /**
     * Copies an already preprocessed input (C-H-W floats in [-1, 1], the model's geometry).
     *
     * @throws DatasetException when its length is not the model's input size
     */
    public void fill(float[] preprocessed, String where, float[] out, int offset) {
        if (preprocessed.length != size()) {
            int s = info.vit().imageSize();
            throw new DatasetException(where + ": a float input of " + preprocessed.length + " values, but task '"
                    + info.task() + "' takes " + size() + " (" + info.vit().channels() + " x " + s + " x " + s
                    + ", C-H-W, preprocessed to [-1, 1]); give images instead to have them preprocessed");
        }
        System.arraycopy(preprocessed, 0, out, offset, preprocessed.length);
    }
}
