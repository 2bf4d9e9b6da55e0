package org.munet.data;

import java.util.Map;

/**
 * Spark's image data source struct ({@code spark.read.format("image")}: {@code origin, height,
 * width, nChannels, mode, data}) as a {@link DecodedImage}. Spark stores the pixels row-major
 * H-W-C in OpenCV's BGR(A) order; munet keeps C-H-W RGB, drops alpha, and keeps 1 channel gray.
 * Shared by the Parquet task reader and by prediction over DataFrames, so both see the same pixels.
 */
public final class SparkImage {

    /** OpenCV's 8-bit modes, as Spark's image data source writes them, by channel count. */
    private static final Map<Integer, Integer> OPENCV_MODES = Map.of(1, 0, 3, 16, 4, 24);

    private SparkImage() {}

    /**
     * @param where names the image in messages (a file, a row)
     * @throws DatasetException naming {@code where} when the struct is not an 8-bit image of 1, 3 or
     *     4 channels whose data holds height x width x nChannels bytes
     */
    public static DecodedImage toImage(String where, int height, int width, int nChannels, int mode, byte[] data) {
        if (data == null) {
            throw new DatasetException(where + ": the image is null");
        }
        if (height <= 0 || width <= 0) {
            throw new DatasetException(where + ": an image Spark's image source could not decode (height " + height
                    + ", width " + width + ")");
        }
        Integer expectedMode = OPENCV_MODES.get(nChannels);
        if (expectedMode == null || expectedMode != mode) {
            throw new DatasetException(where + ": image of " + nChannels + " channels in OpenCV mode " + mode
                    + "; supported: 8-bit images of 1, 3 or 4 channels (modes CV_8UC1 0, CV_8UC3 16, CV_8UC4 24)");
        }
        int plane = height * width;
        if ((long) plane * nChannels != data.length) {
            throw new DatasetException(where + ": image data holds " + data.length + " bytes, not height x width x"
                    + " nChannels = " + height + " x " + width + " x " + nChannels);
        }
        if (nChannels == 1) {
            return new DecodedImage(1, height, width, data);
        }
        byte[] out = new byte[3 * plane];
        for (int i = 0, j = 0; i < plane; i++, j += nChannels) {
            out[i] = data[j + 2];
            out[plane + i] = data[j + 1];
            out[2 * plane + i] = data[j];
        }
        return new DecodedImage(3, height, width, out);
    }
}
