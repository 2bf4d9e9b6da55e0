package org.munet.spark.ui;

import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.status.AppHistoryServerPlugin;
import org.apache.spark.status.ElementTrackingStore;
import org.apache.spark.ui.SparkUI;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Rebuilds the µ2Net tab of a finished (or running) application in the History Server: the same
 * {@link MunetUiListener} folds the replayed event log into the application's store, and the tab
 * is attached to applications that have munet events. Registered in
 * {@code META-INF/services/org.apache.spark.status.AppHistoryServerPlugin}; a Spark developer API
 * whose UI half ({@link SparkUI}) is {@code private[spark]} (see {@link MunetTab}).
 */
public final class MunetHistoryServerPlugin implements AppHistoryServerPlugin {

    @Override
    public Seq<SparkListener> createListeners(SparkConf conf, ElementTrackingStore store) {
        return CollectionConverters.asScala(List.<SparkListener>of(new MunetUiListener(store, false))).toList();
    }

    @Override
    public void setupUI(SparkUI ui) {
        if (MunetUiListener.savedJson(ui.store().store()) != null) {
            MunetTab.attach(ui);
        }
    }
}
