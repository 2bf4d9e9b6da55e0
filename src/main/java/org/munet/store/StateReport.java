package org.munet.store;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@link StateVerifier} found in a state, and what {@link StateRepair} removed.
 *
 * <p>Errors and leftovers are kept apart because they call for opposite reactions: an error means
 * committed data is damaged or missing (restore it from a backup; evolution refuses to start), a
 * leftover is garbage a crash left that the state reads fine without.
 *
 * @param state the state's location
 * @param latestVersion the highest committed version, 0 when none
 * @param versions how many committed manifests were checked
 * @param components how many distinct component files were hashed (each once)
 * @param bytes how many bytes of component files were hashed
 * @param errors one sentence per problem with committed data, naming the file
 * @param leftovers files no committed version needs
 * @param removed leftovers that {@code --repair} deleted (empty for a plain check)
 * @param mode what the check read: everything, or what was committed since the last healthy check
 * @param from the first version an incremental check read in full (1 for a full check)
 * @param nextComponentId the latest version's next component id, -1 when it could not be read
 * @param note a remark on the check itself (its record could not be written), or null
 */
public record StateReport(URI state, long latestVersion, int versions, int components, long bytes,
        List<String> errors, List<Leftover> leftovers, List<Leftover> removed, StateVerifier.Mode mode, long from,
        long nextComponentId, String note) {

    public StateReport {
        errors = List.copyOf(errors);
        leftovers = List.copyOf(leftovers);
        removed = List.copyOf(removed);
    }

    /** No committed data is damaged or missing (leftovers are allowed). */
    public boolean healthy() {
        return errors.isEmpty();
    }

    StateReport withRemoved(List<Leftover> removedNow) {
        return new StateReport(state, latestVersion, versions, components, bytes, errors, leftovers, removedNow, mode,
                from, nextComponentId, note);
    }

    StateReport withNote(String remark) {
        return new StateReport(state, latestVersion, versions, components, bytes, errors, leftovers, removed, mode,
                from, nextComponentId, remark);
    }

    /** One line saying whether the state is sound and how much was checked. */
    public String summary() {
        String checked = versions + (versions == 1 ? " version, " : " versions, ") + components + " component "
                + (components == 1 ? "file" : "files") + " (" + bytes + " bytes) checked"
                + (mode == StateVerifier.Mode.FULL ? ""
                        : from > latestVersion ? " (incremental: nothing committed since the last check; the latest"
                                + " version's files listed; --full checks everything)"
                        : " (incremental: what was committed from version " + from + " on, and the latest; --full"
                                + " checks everything)");
        String rest = "; " + count(leftovers.size(), "leftover") + (removed.isEmpty() ? ""
                : "; removed " + count(removed.size(), "leftover"));
        if (!healthy()) {
            return state + " is damaged: " + count(errors.size(), "error") + " in " + checked + rest
                    + "; restore the files named below from a backup";
        }
        if (latestVersion == 0) {
            return state + " holds no committed version: nothing to check" + rest;
        }
        return state + " version " + latestVersion + " is consistent: " + checked + rest;
    }

    /** The summary, then one line per error, leftover and removed file. */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add(summary());
        if (note != null) {
            lines.add("note: " + note);
        }
        errors.forEach(e -> lines.add("error: " + e));
        leftovers.forEach(l -> lines.add("leftover: " + l.describe()));
        removed.forEach(l -> lines.add("removed: " + l.describe()));
        return lines;
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
