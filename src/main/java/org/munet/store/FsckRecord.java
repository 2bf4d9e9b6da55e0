package org.munet.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.time.Instant;

/**
 * The state's {@code fsck.json}: the newest version a healthy fsck checked, and the component ids
 * handed out by then, so that the next fsck checks only what was committed since (versions above it,
 * and component files from that id on) instead of every version and file again.
 *
 * @param verifiedThrough the latest version when that fsck ran
 * @param nextComponentId that version's next component id: files below it were hashed then
 * @param full whether that fsck was a full one
 * @param at when it ran
 */
record FsckRecord(long verifiedThrough, long nextComponentId, boolean full, String at) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The record, or null when fsck never recorded one (or it is unreadable: then the next fsck is full). */
    static FsckRecord read(StateStore store) {
        try {
            JsonNode n = JSON.readTree(store.files().read(store.layout().fsckRecord()));
            return new FsckRecord(n.get("verified_through").asLong(), n.get("next_component_id").asLong(),
                    n.path("full").asBoolean(), n.path("at").asText());
        } catch (FileNotFoundException e) {
            return null;
        } catch (IOException | RuntimeException e) {
            return null; // only a shortcut: without it fsck checks everything, which is always right
        }
    }

    /**
     * Writes the record. A state the user may read but not write (fsck on someone else's state) still
     * gets its check: the failure to record is returned as a note, not thrown.
     */
    String write(StateStore store) {
        ObjectNode n = JSON.createObjectNode();
        n.put("verified_through", verifiedThrough);
        n.put("next_component_id", nextComponentId);
        n.put("full", full);
        n.put("at", at);
        try {
            store.files().publish(store.layout().fsckRecord(), JSON.writeValueAsBytes(n), true);
            return null;
        } catch (IOException e) {
            return "could not record this check in " + store.layout().fsckRecord() + " (" + e.getMessage()
                    + "), so the next fsck checks everything again";
        }
    }

    static FsckRecord now(long verifiedThrough, long nextComponentId, boolean full) {
        return new FsckRecord(verifiedThrough, nextComponentId, full, Instant.now().toString());
    }
}
