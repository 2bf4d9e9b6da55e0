package org.munet.report;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

/** Writes the report's page, {@code index.html}, into a directory on any Hadoop file system. */
public final class Report {

    public static final String PAGE = "index.html";

    private Report() {}

    /**
     * Writes the page under a temporary name, then renames it over the last one, so a reader never
     * sees half a report.
     *
     * @return the page's qualified URI
     */
    public static String write(ReportData data, ReportPage.Prices prices, String outDir, Configuration hadoop) {
        byte[] html = ReportPage.render(data, prices).getBytes(StandardCharsets.UTF_8);
        Path dir = new Path(outDir);
        try {
            FileSystem fs = dir.getFileSystem(hadoop);
            if (fs instanceof LocalFileSystem local) {
                // No .crc sidecar next to a page people open and copy around.
                fs = local.getRawFileSystem();
            }
            fs.mkdirs(dir);
            Path page = new Path(dir, PAGE);
            Path tmp = new Path(dir, "." + PAGE + ".tmp-" + Long.toHexString(System.nanoTime()));
            try (OutputStream out = fs.create(tmp, false)) {
                out.write(html);
            }
            if (fs.exists(page)) {
                fs.delete(page, false);
            }
            if (!fs.rename(tmp, page)) {
                throw new IOException("cannot rename " + tmp + " to " + page);
            }
            return fs.makeQualified(page).toString();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report to " + outDir + ": " + e.getMessage(), e);
        }
    }
}
