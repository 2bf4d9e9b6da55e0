package org.munet.serve;

import java.io.IOException;
import java.net.URI;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * The local file system under the scheme {@value #SCHEME}, failing to publish any file named
 * {@value #FAILING_NAME}: an export that dies after its weights were written, before its config.
 */
public class FailingFileSystem extends RawLocalFileSystem {

    static final String SCHEME = "failfs";
    static final String FAILING_NAME = "config.json";

    static Configuration conf() {
        Configuration conf = new Configuration();
        conf.set("fs." + SCHEME + ".impl", FailingFileSystem.class.getName());
        conf.setBoolean("fs." + SCHEME + ".impl.disable.cache", true);
        return conf;
    }

    @Override
    public URI getUri() {
        return URI.create(SCHEME + ":///");
    }

    @Override
    public String getScheme() {
        return SCHEME;
    }

    @Override
    public boolean rename(Path src, Path dst) throws IOException {
        if (dst.getName().equals(FAILING_NAME)) {
            throw new IOException("No space left on device (simulated)");
        }
        return super.rename(src, dst);
    }
}
