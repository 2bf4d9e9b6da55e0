package org.munet.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/** Lock records as another run would have written them, shared by the lock tests on every file system. */
final class LockRecords {

    static final ObjectMapper JSON = new ObjectMapper();

    private LockRecords() {}

    /** The record of pid 4242 on {@code host}, "evolve cifar", with a heartbeat and its lease timeout. */
    static ObjectNode foreign(String host, Instant heartbeat, double leaseSeconds) {
        ObjectNode n = JSON.createObjectNode();
        n.put("owner", "4242@" + host).put("pid", 4242).put("host", host).put("purpose", "evolve cifar")
                .put("acquired_at", "2030-01-02T03:04:05Z").put("heartbeat_at", heartbeat.toString())
                .put("lease_timeout_seconds", leaseSeconds).put("token", "their-token");
        return n;
    }
}
