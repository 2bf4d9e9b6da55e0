package org.munet.testing;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * The local file system under the scheme {@value #SCHEME}, which remembers, for every instance
 * opened, the thread that opened it and the value of {@value #MARKER} in the configuration it was
 * opened with. Only a configuration that names this class ({@code fs.recfs.impl}) can open
 * {@code recfs:} paths at all.
 */
public class RecordingFileSystem extends RawLocalFileSystem {

    public static final String SCHEME = "recfs";
    public static final String MARKER = "munet.test.marker";
    private static final URI ROOT = URI.create(SCHEME + ":///");

    /** One instance opened. */
    public record Opened(String thread, String marker) {}

    public static final List<Opened> OPENED = new CopyOnWriteArrayList<>();

    @Override
    public URI getUri() {
        return ROOT;
    }

    @Override
    public String getScheme() {
        return SCHEME;
    }

    @Override
    public void initialize(URI uri, Configuration conf) throws IOException {
        super.initialize(uri, conf);
        OPENED.add(new Opened(Thread.currentThread().getName(), conf.get(MARKER)));
    }
}
