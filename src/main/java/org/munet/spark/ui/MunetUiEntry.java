package org.munet.spark.ui;

import org.apache.spark.util.kvstore.KVIndex;

/**
 * The tab's state as one entry of the application's status store (the KVStore the Spark UI and the
 * History Server render from): the {@link MunetUiStore.View} as JSON. The History Server may keep
 * it on disk, which Spark serialises with Jackson: hence a plain bean.
 */
public final class MunetUiEntry {

    /** The one entry's key. */
    public static final String KEY = "munet";

    @KVIndex
    public String id = KEY;

    public String json;

    public MunetUiEntry() {}

    public MunetUiEntry(String json) {
        this.json = json;
    }
}
