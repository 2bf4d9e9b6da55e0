package org.munet.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.munet.data.ImageSet;
import org.munet.data.LocalData;
import org.munet.data.TaskData;
import org.munet.run.StateReader;
import org.munet.store.StateVerifier;
import org.munet.system.Population;
import org.munet.system.TaskPath;
import org.munet.testing.ChildJvm;
import org.munet.testing.HdfsCluster;
import org.munet.testing.ListeningSockets;

/**
 * munet on a real HDFS: a MiniDFSCluster in this JVM holds the state, the task catalog and the
 * tasks' data in the three layouts munet reads (MNIST's IDX files, an image folder of PNG files, a
 * Parquet table of PNG bytes with string labels and a split column); the Spark
 * driver is a child JVM on a local cluster (executors in JVMs of their own) started in an empty
 * working directory, so everything it reads or writes is named by an absolute path or an hdfs://
 * URI. The driver and the executors reach the NameNode and the DataNode through the Hadoop client
 * Spark brings (the minicluster jar is kept off their classpath). One run loses an executor JVM and
 * finishes; another run on a fresh state is SIGKILLed with the driver and resumed by the same
 * command; then fsck and status, as deploy/munet runs them, read the states on HDFS.
 */
class HdfsClusterIT {

    /** IDX files on HDFS: data_dir/mnist. */
    private static final String A = "mnist/labels:0-4";
    /** An image folder on HDFS: data_dir/fashion_png/{train,test}/<class>/*.png, its format detected. */
    private static final String B = "fashion_png";
    /** A Parquet table on HDFS: data_dir/digits.parquet, PNG bytes, string labels, a split column. */
    private static final String C = "digits_table";
    /** Root, then per task two generations and the task's end (test pass). */
    private static final long FINAL_VERSION = 1 + 3 * (2 + 1);

    /** Every driver this test started: none may outlive it, with its executors, when it fails. */
    private final List<Process> drivers = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        for (Process d : drivers) {
            d.descendants().forEach(ProcessHandle::destroyForcibly);
            d.destroyForcibly();
        }
    }

    @Test
    void evolvesOnHdfsThroughALostExecutorAndAKilledDriver(@TempDir Path dir) throws Exception {
        long start = System.nanoTime();
        Path sparkHome = SparkClusterIT.sparkHome();
        Path cwd = Files.createDirectory(dir.resolve("cwd")); // holds no data and no state, and stays empty
        Path logs = Files.createDirectory(dir.resolve("logs"));

        try (HdfsCluster hdfs = HdfsCluster.start(dir.resolve("hdfs"))) {
            lap(start, "HDFS up at " + hdfs.uri());
            List<ListeningSockets.Socket> hdfsSockets = ListeningSockets.of(ProcessHandle.current().pid());
            assertTrue(hdfsSockets.size() >= 4, "NameNode RPC and HTTP, DataNode data, IPC, HTTP: " + hdfsSockets);
            assertEquals(List.of(), ListeningSockets.nonLoopback(ProcessHandle.current().pid()),
                    "the NameNode and DataNode listen on loopback only: " + hdfsSockets);

            Path config = config(Files.createDirectory(dir.resolve("config")), dataDir(hdfs, dir.resolve("export")));
            lap(start, "data on HDFS");
            Path catalogFile = dir.resolve("catalog.yaml");
            Files.writeString(catalogFile, "tasks:\n  - \"" + A + "\"\n  - " + B + "\n"
                    + "  - {name: " + C + ", path: digits.parquet, image_column: png, label_column: label,"
                    + " split_column: split}\nmax_visits_per_task: 1\n");
            String catalog = hdfs.put(catalogFile, "/munet/catalog.yaml");
            String state = hdfs.uri("/munet/state");
            String resumed = hdfs.uri("/munet/resumed");

            // 1. A run that loses an executor JVM in the middle of the first task's second generation.
            long t = System.nanoTime();
            Path log1 = logs.resolve("run1.log");
            Process driver = driver(sparkHome, cwd, config, catalog, state, log1);
            String lostExecutorAt = "started: task " + A + " · iteration 1 · generation 2/2";
            long killedExecutor = -1;
            boolean socketsChecked = false;
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(6);
            while (driver.isAlive() && System.nanoTime() < deadline && killedExecutor < 0) {
                List<ProcessHandle> executors = SparkClusterIT.executors(driver);
                if (executors.size() == 2 && contains(log1, lostExecutorAt)) {
                    // Both executors have run a generation, so all their servers are up: the
                    // loopback settings of the test build reach the driver and every executor.
                    List<String> publicSockets = new ArrayList<>();
                    for (long pid : pids(driver.toHandle(), executors)) {
                        List<ListeningSockets.Socket> sockets = ListeningSockets.of(pid);
                        assertFalse(sockets.isEmpty(), "pid " + pid + " listens (RPC, block manager)");
                        sockets.stream().filter(s -> !s.loopback()).forEach(s -> publicSockets.add("pid " + pid + " " + s));
                    }
                    assertEquals(List.of(), publicSockets, "Spark listens on loopback only");
                    socketsChecked = true;
                    killedExecutor = executors.get(0).pid();
                    executors.get(0).destroyForcibly();
                }
                Thread.sleep(100); // poll interval
            }
            assertTrue(driver.waitFor(6, TimeUnit.MINUTES), "run 1 did not finish:\n" + SparkClusterIT.tail(log1));
            assertEquals(0, driver.exitValue(), "run 1 failed:\n" + SparkClusterIT.tail(log1));
            assertTrue(socketsChecked, "the sockets were checked while both executors ran");
            assertTrue(killedExecutor > 0, "an executor JVM was killed during run 1:\n" + SparkClusterIT.tail(log1));
            String out1 = Files.readString(log1, StandardCharsets.UTF_8);
            assertTrue(out1.contains("committed version " + FINAL_VERSION + " of " + state), SparkClusterIT.tail(log1));
            assertTrue(out1.contains("system: 3 tasks"), "leaderboard printed:\n" + SparkClusterIT.tail(log1));
            long retried = out1.lines().filter(l -> l.contains("Spark retries it")).count();
            lap(t, "run 1 done; executor " + killedExecutor + " killed, candidate tasks retried: " + retried);

            // 2. A fresh state: SIGKILL the driver once the second task's second generation trains
            //    (versions 1-5 committed: root, A's two generations and end, B's first generation).
            t = System.nanoTime();
            Path log2 = logs.resolve("run2-killed.log");
            driver = driver(sparkHome, cwd, config, catalog, resumed, log2);
            String killAt = "started: task " + B + " · iteration 1 · generation 2/2";
            deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(6);
            while (driver.isAlive() && System.nanoTime() < deadline && !contains(log2, killAt)) {
                Thread.sleep(50); // poll interval
            }
            List<ProcessHandle> orphans = SparkClusterIT.executors(driver);
            long killedDriver = driver.pid();
            driver.destroyForcibly(); // SIGKILL: no shutdown hook; lock, staging, open HDFS leases stay behind
            assertTrue(driver.waitFor(1, TimeUnit.MINUTES));
            assertEquals(2, orphans.size(), "the driver was killed while its executors ran:\n"
                    + SparkClusterIT.tail(log2));
            reap(orphans);
            long killedAt = new StateReader(resumed).store().latestVersion().orElse(-1);
            assertEquals(5, killedAt, "killed in B's second generation:\n" + SparkClusterIT.tail(log2));
            assertTrue(hdfs.fs().exists(new org.apache.hadoop.fs.Path(resumed + "/lock")),
                    "a killed run leaves its lock behind");
            lap(t, "run 2 SIGKILLed at version " + killedAt);

            t = System.nanoTime();
            Path log3 = logs.resolve("run2-resumed.log");
            driver = driver(sparkHome, cwd, config, catalog, resumed, log3);
            assertTrue(driver.waitFor(6, TimeUnit.MINUTES), "rerun did not finish:\n" + SparkClusterIT.tail(log3));
            assertEquals(0, driver.exitValue(), "rerun failed:\n" + SparkClusterIT.tail(log3));
            String out3 = Files.readString(log3, StandardCharsets.UTF_8);
            assertTrue(out3.contains("taking over stale lock of pid " + killedDriver), SparkClusterIT.tail(log3));
            assertTrue(out3.contains("committed version " + FINAL_VERSION + " of " + resumed),
                    SparkClusterIT.tail(log3));
            assertTrue(out3.contains("started: task " + B + " · iteration 1 · generation 2/2"),
                    "the rerun redid the generation in flight:\n" + SparkClusterIT.tail(log3));
            assertFalse(out3.contains("started: task " + A), "the rerun did not redo A:\n" + SparkClusterIT.tail(log3));
            lap(t, "rerun resumed at version " + (killedAt + 1) + " and finished");

            // 3. The commands without Spark, through the launcher script, from the empty directory, on
            //    the state that went through the kill (the other one is checked in this JVM below).
            t = System.nanoTime();
            Cli fsck = munet(cwd, logs, "fsck", "--state", resumed);
            assertEquals(0, fsck.exit(), fsck.output());
            assertTrue(fsck.output().contains(resumed + " version " + FINAL_VERSION + " is consistent"), fsck.output());
            Cli status = munet(cwd, logs, "status", "--state", resumed);
            assertEquals(0, status.exit(), status.output());
            assertTrue(status.output().contains("system: 3 tasks") && status.output().contains(A)
                    && status.output().contains(B) && status.output().contains(C), status.output());
            lap(t, "deploy/munet fsck and status");
            System.out.println(status.output().strip());
            for (Path log : List.of(log1, log2, log3)) {
                System.out.println("-- " + log.getFileName() + ": progress");
                progress(log).forEach(System.out::println);
            }

            // 4. The states themselves.
            for (String s : List.of(state, resumed)) {
                StateReader reader = new StateReader(s);
                assertEquals(FINAL_VERSION, reader.store().latestVersion().orElse(-1), s);
                assertEquals(List.of(), StateVerifier.verify(reader.store()).errors(), s);
                Population p = reader.latest().population();
                assertEquals(List.of(A, B, C), p.tasks(), s);
                assertEquals(List.of("sandal", "shirt", "sneaker", "bag", "ankle_boot").stream().sorted().toList(),
                        reader.latest().state().classNames().get(B), "the folder's classes, in sorted order");
                assertEquals(List.of("eight", "five", "nine", "seven", "six"), reader.latest().state().classNames()
                        .get(C), "the table's string labels, in sorted order");
                for (TaskPath path : p.paths()) {
                    if (!path.isRoot()) {
                        assertTrue(path.metrics().testQuality() != null && path.metrics().testQuality() > 0.3,
                                path.toString());
                    }
                }
                assertFalse(hdfs.fs().exists(new org.apache.hadoop.fs.Path(s + "/lock")), "lock released: " + s);
            }
            assertEquals(SparkTestConfigs.essence(state), SparkTestConfigs.essence(resumed),
                    "a killed and resumed run evolves the same system as a run that lost an executor");
            // Executors stage the components they train; a run's spark.hadoop.* keys (here
            // dfs.replication=1, given to the driver only) reach their HDFS clients. Without it a
            // client writes 3 replicas (hdfs-default.xml), of which the single DataNode keeps one.
            List<String> files = files(hdfs, "/munet/state/components");
            assertTrue(files.size() > 3, "components written: " + files);
            for (String f : files) {
                assertEquals(1, hdfs.replication(f), "replication of " + f);
            }
            try (Stream<Path> left = Files.list(cwd)) {
                assertEquals(List.of(), left.toList(), "the runs wrote nothing into their working directory");
            }
        }
        lap(start, "HdfsClusterIT total");
    }

    /**
     * Puts the tasks' data on HDFS and returns the data directory's URI: MNIST's IDX files as they
     * are, Fashion-MNIST's classes 5-9 as a folder of PNG files, MNIST's classes 5-9 as a Parquet
     * table written straight to HDFS. The driver and the executors read them from there: nothing is
     * on the local disk of the processes that train.
     */
    private static String dataDir(HdfsCluster hdfs, Path export) throws IOException {
        String local = System.getProperty("munet.data.dir");
        assertTrue(local != null && Files.isDirectory(Path.of(local, "mnist"))
                        && Files.isDirectory(Path.of(local, "fashion-mnist")),
                "datasets missing: run deploy/fetch-datasets.sh data");
        hdfs.put(Path.of(local, "mnist"), "/munet/data/mnist");
        TaskData fashion = LocalData.load("fashion_mnist/labels:5-9", Path.of(local));
        for (String split : List.of("train", "test")) {
            ImageSet set = split.equals("train") ? fashion.train() : fashion.test();
            for (int i = 0; i < (split.equals("train") ? 800 : 200); i++) {
                String name = fashion.classNames().get(set.labels()[i]).toLowerCase(Locale.ROOT).replace(' ', '_');
                Path file = export.resolve("fashion_png/" + split + "/" + name + "/" + String.format("%05d.png", i));
                Files.createDirectories(file.getParent());
                Files.write(file, png(set, i));
            }
        }
        hdfs.put(export.resolve("fashion_png"), "/munet/data/fashion_png");
        TaskData digits = LocalData.load("mnist/labels:5-9", Path.of(local));
        List<String> words = List.of("five", "six", "seven", "eight", "nine");
        MessageType schema = MessageTypeParser.parseMessageType("message digits { required binary png;"
                + " required binary label (STRING); required binary split (STRING); }");
        SimpleGroupFactory rows = new SimpleGroupFactory(schema);
        try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(HadoopOutputFile.fromPath(
                new org.apache.hadoop.fs.Path(hdfs.uri("/munet/data/digits.parquet/part-00000.parquet")),
                hdfs.fs().getConf())).withType(schema).withConf(hdfs.fs().getConf()).build()) {
            for (String split : List.of("train", "test")) {
                ImageSet set = split.equals("train") ? digits.train() : digits.test();
                for (int i = 0; i < (split.equals("train") ? 1500 : 300); i++) {
                    writer.write(rows.newGroup().append("png", Binary.fromConstantByteArray(png(set, i)))
                            .append("label", words.get(set.labels()[i])).append("split", split));
                }
            }
        }
        return hdfs.uri("/munet/data");
    }

    private static byte[] png(ImageSet set, int i) throws IOException {
        BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        System.arraycopy(set.pixels(), i * 784, ((DataBufferByte) image.getRaster().getDataBuffer()).getData(), 0, 784);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    /** The config of a catalog run: no tasks, two generations of two candidates per task. */
    private static Path config(Path dir, String dataDir) throws IOException {
        Path file = dir.resolve("hdfs.yaml");
        Files.writeString(file, "seed: 5\ndata_dir: " + dataDir + "\n"
                + "evolution:\n  candidates_per_generation: 2\n  samples_per_task: 4\n"
                + "training:\n  batch_size: 32\n  validations: 2\n  max_train_examples_between_validations: 640\n"
                + "  max_validation_examples: 256\n"
                + "hparams:\n  opt_lr: 0.05\n  ds_crop: false\n  ds_flip_left_right: false\n");
        return file;
    }

    private Process driver(Path sparkHome, Path cwd, Path config, String catalog, String state, Path log)
            throws IOException {
        List<String> cmd = withoutMinicluster(ChildJvm.command("-Xmx2g",
                "-Dspark.master=local-cluster[2,1,1536]",
                "-Dspark.executor.extraClassPath=" + Path.of("target", "classes").toAbsolutePath(),
                "-Dspark.executor.extraJavaOptions=-Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1"
                        + " -Dai.djl.pytorch.num_interop_threads=1",
                "-Dspark.ui.enabled=false",
                "-Dspark.hadoop.dfs.replication=1"));
        cmd.addAll(List.of("org.munet.cli.Main", "evolve", "--config", config.toString(), "--catalog", catalog,
                "--state", state));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("SPARK_HOME", sparkHome.toString());
        pb.environment().put("SPARK_SCALA_VERSION", "2.13");
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        Process driver = pb.start();
        drivers.add(driver);
        return driver;
    }

    /**
     * The driver gets this JVM's classpath without the minicluster jar: it reaches HDFS with the
     * Hadoop client Spark brings, as a real driver does (executors get SPARK_HOME/jars anyway).
     */
    private static List<String> withoutMinicluster(List<String> cmd) {
        List<String> out = new ArrayList<>(cmd);
        int cp = out.indexOf("-cp") + 1;
        assertTrue(cp > 0, "a -cp in " + cmd);
        List<String> entries = new ArrayList<>(List.of(out.get(cp).split(File.pathSeparator)));
        assertTrue(entries.removeIf(e -> e.contains("hadoop-client-minicluster")),
                "the test classpath holds the minicluster jar: " + out.get(cp));
        out.set(cp, String.join(File.pathSeparator, entries));
        return out;
    }

    private record Cli(int exit, String output) {}

    /** deploy/munet ARGS in {@code cwd}, as a user runs it. */
    private static Cli munet(Path cwd, Path logs, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("bash", Path.of("deploy", "munet").toAbsolutePath().toString()));
        cmd.addAll(List.of(args));
        Path log = logs.resolve(args[0] + "-" + System.nanoTime() + ".log");
        Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "deploy/munet " + String.join(" ", args) + " hangs");
        return new Cli(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    /** Executors of a SIGKILLed driver notice it and exit; any still alive after 30 s are killed. */
    private static void reap(List<ProcessHandle> executors) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline && executors.stream().anyMatch(ProcessHandle::isAlive)) {
            Thread.sleep(100); // poll interval
        }
        for (ProcessHandle e : executors) {
            if (e.isAlive()) {
                System.out.println("executor " + e.pid() + " outlived its driver by 30 s: killing it");
                e.destroyForcibly();
            }
        }
    }

    private static List<Long> pids(ProcessHandle driver, List<ProcessHandle> executors) {
        List<Long> out = new ArrayList<>(List.of(driver.pid()));
        executors.forEach(e -> out.add(e.pid()));
        return out;
    }

    private static List<String> files(HdfsCluster hdfs, String dir) throws IOException {
        List<String> out = new ArrayList<>();
        RemoteIterator<LocatedFileStatus> it = hdfs.fs().listFiles(new org.apache.hadoop.fs.Path(hdfs.uri(dir)), true);
        while (it.hasNext()) {
            out.add(it.next().getPath().toUri().getPath());
        }
        return out;
    }

    /** The run's own lines: one per generation and task end, the summary. */
    private static List<String> progress(Path log) throws IOException {
        return new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines()
                .filter(l -> l.contains("  iteration ") || l.startsWith("run: ") || l.startsWith("munet: "))
                .toList();
    }

    private static boolean contains(Path log, String text) throws IOException {
        // Bytes, decoded leniently: the log may end in the middle of a character while it is written.
        return Files.exists(log) && new String(Files.readAllBytes(log), StandardCharsets.UTF_8).contains(text);
    }

    private static void lap(long since, String what) {
        System.out.printf(Locale.ROOT, "[HdfsClusterIT] %s: %.1f s%n", what, (System.nanoTime() - since) / 1e9);
    }
}
