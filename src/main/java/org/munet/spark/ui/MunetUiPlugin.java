package org.munet.spark.ui;

import java.util.Map;
import org.apache.spark.SparkContext;
import org.apache.spark.api.plugin.DriverPlugin;
import org.apache.spark.api.plugin.ExecutorPlugin;
import org.apache.spark.api.plugin.PluginContext;
import org.apache.spark.api.plugin.SparkPlugin;

/**
 * Named in {@code spark.plugins} (spark-conf/spark-defaults.conf): on the driver, registers the
 * {@link MunetUiListener} and attaches the µ2Net tab to the Spark UI ({@code /munet/}). Nothing on
 * executors. Without a UI ({@code spark.ui.enabled false}) it does nothing; the events still reach
 * the event log.
 */
public final class MunetUiPlugin implements SparkPlugin {

    @Override
    public DriverPlugin driverPlugin() {
        return new DriverPlugin() {
            @Override
            public Map<String, String> init(SparkContext sc, PluginContext context) {
                // sc.ui() and sc.statusStore() are private[spark]: see MunetTab.
                if (sc.ui().isDefined()) {
                    sc.addSparkListener(new MunetUiListener(sc.statusStore().store()));
                    MunetTab.attach(sc.ui().get());
                }
                return Map.of();
            }
        };
    }

    @Override
    public ExecutorPlugin executorPlugin() {
        return null;
    }
}
