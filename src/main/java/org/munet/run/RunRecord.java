package org.munet.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.munet.evolution.RunSummary;
import org.munet.evolution.VisitSchedule;
import org.munet.store.StateStore;

/**
 * What one {@code evolve} run did, kept in the state ({@code runs/<ended>-v<version>.json}) so the
 * morning report can list the last nights: tasks introduced, revisited, improved and skipped (with
 * the reason), generations, task iterations, compute, wall time and why it stopped. A run that did
 * nothing writes none, as it writes nothing else.
 */
public record RunRecord(String startedAt, String endedAt, long version, List<String> introduced,
        List<String> revisited, List<String> improved, Map<String, String> skipped, int generations,
        int taskIterations, double computeSeconds, double wallSeconds, String stopped) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    static void write(StateStore store, RunSummary s, long version, Instant started, Instant ended) {
        Map<String, String> skipped = new LinkedHashMap<>();
        for (VisitSchedule.Skipped k : s.skipped()) {
            skipped.put(k.task(), k.reason());
        }
        RunRecord r = new RunRecord(started.toString(), ended.toString(), version, s.introduced(), s.revisited(),
                s.improved(), skipped, s.generations(), s.completedVisits(), s.computeSeconds(), s.wallSeconds(),
                s.stopReason());
        try {
            store.putRunRecord(NAME.format(ended) + "-v" + version, JSON.writeValueAsBytes(r));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The newest {@code count} runs of a state, newest first. */
    public static List<RunRecord> latest(StateStore store, int count) {
        List<RunRecord> out = new ArrayList<>();
        for (byte[] json : store.latestRunRecords(count)) {
            try {
                out.add(JSON.readValue(json, new TypeReference<RunRecord>() {}));
            } catch (IOException e) {
                throw new UncheckedIOException("a run record of " + store.uri() + " is not readable: " + e.getMessage(), e);
            }
        }
        return out;
    }
}
