package org.munet.store;

import java.io.IOException;
import java.net.URI;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.CommonPathCapabilities;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * The local file system under another scheme ({@code s3a://bucket/<local absolute path>}, registered
 * as {@code fs.<scheme>.impl}), so that a test can open a state there without the cloud connector on
 * the classpath. It answers the path capabilities {@link StorageSemantics} asks the way the real
 * connectors of Hadoop 3.5.0 do, from its configuration: S3A's conditional create and create
 * performance switches, and ABFS's hierarchical namespace (FS_ACLS). The conditional-create key
 * defaults to false here, as an S3A that predates conditional writes answers.
 */
public class ObjectStoreStub extends RawLocalFileSystem {

    /** What ABFS answers {@link CommonPathCapabilities#FS_ACLS} with: whether the account has a hierarchical namespace. */
    static final String HNS = "fs.azure.account.hns.enabled";

    private URI uri;

    @Override
    public void initialize(URI name, Configuration conf) throws IOException {
        super.initialize(name, conf);
        uri = URI.create(name.getScheme() + "://" + name.getAuthority());
    }

    /** {@code scheme://authority} once initialized; RawLocalFileSystem's constructor asks before that. */
    @Override
    public URI getUri() {
        return uri == null ? super.getUri() : uri;
    }

    @Override
    public String getScheme() {
        return getUri().getScheme();
    }

    @Override
    public boolean hasPathCapability(Path path, String capability) throws IOException {
        return switch (capability) {
            case StorageSemantics.S3A_CONDITIONAL_CREATE, StorageSemantics.S3A_CREATE_PERFORMANCE ->
                    getConf().getBoolean(capability, false);
            case CommonPathCapabilities.FS_ACLS -> getConf().getBoolean(HNS, false);
            default -> super.hasPathCapability(path, capability);
        };
    }

    /** A configuration that serves {@code scheme://} with this class, a fresh instance per open. */
    static Configuration serving(String scheme) {
        Configuration conf = new Configuration(false);
        conf.set("fs." + scheme + ".impl", ObjectStoreStub.class.getName());
        conf.setBoolean("fs." + scheme + ".impl.disable.cache", true);
        return conf;
    }
}
