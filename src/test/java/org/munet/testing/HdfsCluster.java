package org.munet.testing;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;

/**
 * A real HDFS in this JVM: a MiniDFSCluster with one NameNode and one DataNode, every port on
 * loopback (platform-notes: nothing on these machines may listen on a public interface), its
 * storage under a given directory. Clients in other JVMs reach it at {@link #uri()}; with a single
 * DataNode the cluster's files have one replica.
 */
public final class HdfsCluster implements AutoCloseable {

    private static final String LOOPBACK = "127.0.0.1";

    private final MiniDFSCluster cluster;
    private final URI uri;
    private final FileSystem fs;

    private HdfsCluster(MiniDFSCluster cluster, URI uri, FileSystem fs) {
        this.cluster = cluster;
        this.uri = uri;
        this.fs = fs;
    }

    /** Starts the cluster (about 5-10 s) with its name and data directories under {@code baseDir}. */
    public static HdfsCluster start(Path baseDir) throws IOException {
        Path base = Files.createDirectories(baseDir).toAbsolutePath();
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.resolve("dfs").toString());
        conf.set("hadoop.tmp.dir", base.resolve("tmp").toString());
        // Every server socket on loopback, on a free port. MiniDFSCluster puts the NameNode's RPC and
        // HTTP servers on 127.0.0.1 by itself; the DataNode's addresses are set here and kept because
        // of checkDataNodeAddrConfig(true). HTTPS is off (dfs.http.policy HTTP_ONLY), but its
        // addresses are pinned too in case a default changes.
        conf.set("dfs.namenode.rpc-address", LOOPBACK + ":0");
        conf.set("dfs.namenode.rpc-bind-host", LOOPBACK);
        conf.set("dfs.namenode.http-address", LOOPBACK + ":0");
        conf.set("dfs.namenode.http-bind-host", LOOPBACK);
        conf.set("dfs.namenode.https-address", LOOPBACK + ":0");
        conf.set("dfs.namenode.https-bind-host", LOOPBACK);
        conf.set("dfs.namenode.secondary.http-address", LOOPBACK + ":0");
        conf.set("dfs.namenode.secondary.https-address", LOOPBACK + ":0");
        conf.set("dfs.namenode.backup.address", LOOPBACK + ":0");
        conf.set("dfs.namenode.backup.http-address", LOOPBACK + ":0");
        conf.set("dfs.datanode.address", LOOPBACK + ":0");
        conf.set("dfs.datanode.http.address", LOOPBACK + ":0");
        conf.set("dfs.datanode.https.address", LOOPBACK + ":0");
        conf.set("dfs.datanode.ipc.address", LOOPBACK + ":0");
        conf.set("dfs.datanode.hostname", LOOPBACK);
        conf.set("dfs.http.policy", "HTTP_ONLY");
        // One DataNode: one replica per block, and no pipeline recovery looking for a second node.
        conf.setInt("dfs.replication", 1);
        conf.set("dfs.client.block.write.replace-datanode-on-failure.policy", "NEVER");
        // Closing a file waits until the NameNode has heard of its last block from the DataNode,
        // polling from 400 ms (hdfs-default.xml): copying a folder of small images would spend
        // nearly all its time asleep. This client (the one put() uses) polls from 5 ms.
        conf.setInt("dfs.client.block.write.locateFollowingBlock.initial.delay.ms", 5);
        // No edit-log fsync on every namespace change: a test cluster, not a durable one.
        MiniDFSCluster cluster = new MiniDFSCluster.Builder(conf, base.resolve("dfs").toFile())
                .nameNodePort(0)
                .nameNodeHttpPort(0)
                .numDataNodes(1)
                .checkDataNodeAddrConfig(true)
                .format(true)
                .skipFsyncForTesting(true)
                .waitSafeMode(true)
                .build();
        try {
            cluster.waitActive();
            URI uri = URI.create("hdfs://" + LOOPBACK + ":" + cluster.getNameNodePort());
            // An instance of our own (not FileSystem's cache): closing it closes nothing another
            // test holds.
            FileSystem fs = FileSystem.newInstance(uri, cluster.getConfiguration(0));
            return new HdfsCluster(cluster, uri, fs);
        } catch (IOException | RuntimeException e) {
            cluster.shutdown(true);
            throw e;
        }
    }

    /** {@code hdfs://127.0.0.1:PORT}, the NameNode's RPC address. */
    public URI uri() {
        return uri;
    }

    /** {@code hdfs://127.0.0.1:PORT/path}; {@code path} is absolute on the cluster. */
    public String uri(String path) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("an absolute HDFS path, not " + path);
        }
        return uri + path;
    }

    /** A client of the cluster, closed with it. */
    public FileSystem fs() {
        return fs;
    }

    /** Copies a local file or directory (recursively) to {@code hdfsPath}; returns its URI. */
    public String put(Path localPath, String hdfsPath) throws IOException {
        if (!Files.exists(localPath)) {
            throw new IOException("no such local file or directory: " + localPath);
        }
        org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(uri(hdfsPath));
        fs.mkdirs(target.getParent());
        fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(localPath.toAbsolutePath().toUri()), target);
        return target.toString();
    }

    /** The replication factor HDFS records for a file. */
    public short replication(String hdfsPath) throws IOException {
        return fs.getFileStatus(new org.apache.hadoop.fs.Path(uri(hdfsPath))).getReplication();
    }

    /**
     * Closes this client and the cached client of this cluster that code under test may have
     * opened in this JVM (FileSystem.get), then stops the DataNode and the NameNode and deletes
     * their storage.
     */
    @Override
    public void close() throws IOException {
        try {
            fs.close();
            FileSystem.get(uri, new Configuration()).close(); // the cache's entry for this cluster
        } finally {
            cluster.shutdown(true);
        }
    }
}
