package org.munet.spark.ui;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.spark.ui.SparkUI;
import org.apache.spark.ui.SparkUITab;
import org.apache.spark.ui.UIUtils;
import org.apache.spark.ui.WebUIPage;
import org.json4s.jackson.Json4sScalaModule;
import scala.Option;
import scala.collection.immutable.Seq;
import scala.xml.Node;

/**
 * The µ2Net tab: {@code /munet/} renders {@link MunetPageHtml} inside Spark's page frame and
 * {@code /munet/json} serves the same view as JSON. It reads the view {@link MunetUiListener} saved
 * in the application's status store, so the live UI and the History Server show the same thing.
 *
 * <p>Spark has no public API for UI tabs: {@link SparkUITab}, {@link WebUIPage},
 * {@link UIUtils#headerSparkPage} and {@code SparkUI.attachTab} are {@code private[spark]} (public in
 * bytecode, so Java can call them), as DataFlint and Kyuubi use them. A Spark upgrade may break this
 * class; it is the only one that touches Spark's UI internals.
 */
public final class MunetTab extends SparkUITab {

    /** Reads json into json4s values, which Spark's JSON handler renders. */
    private static final ObjectMapper JSON4S = new ObjectMapper().registerModule(new Json4sScalaModule());

    private final SparkUI ui;

    public MunetTab(SparkUI ui) {
        super(ui, "munet");
        this.ui = ui;
        attachPage(new Page(this));
    }

    @Override
    public String name() {
        return "µ2Net";
    }

    /** The saved view as JSON, or null before any munet event arrived. */
    String json() {
        return MunetUiListener.savedJson(ui.store().store());
    }

    /** Attaches the tab to {@code ui}. */
    public static void attach(SparkUI ui) {
        ui.attachTab(new MunetTab(ui));
    }

    private static final class Page extends WebUIPage {
        private final MunetTab tab;

        Page(MunetTab tab) {
            super("");
            this.tab = tab;
        }

        @Override
        public Seq<Node> render(HttpServletRequest request) {
            MunetUiStore.View view = MunetPageHtml.parse(tab.json());
            String html = MunetPageHtml.render(view, request.getParameter("refresh") != null);
            @SuppressWarnings("unchecked")
            Seq<Node> content = (Seq<Node>) (Object) scala.xml.XML.loadString(html);
            return UIUtils.headerSparkPage(request, "µ2Net", () -> content, tab, Option.empty(), false, false,
                    false);
        }

        @Override
        public org.json4s.JValue renderJson(HttpServletRequest request) {
            String json = tab.json();
            try {
                return JSON4S.readValue(json == null ? MunetUiListener.JSON.writeValueAsString(MunetUiStore.View.EMPTY)
                        : json, org.json4s.JValue.class);
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
