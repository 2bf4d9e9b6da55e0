package org.munet.nn;


import ai.djl.ndarray.NDManager;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.munet.system.Architecture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ComponentBlockTest {

    private static final VitConfig CONFIG = VitConfig.tiny();
    private final ComponentFactory factory = new ComponentFactory(CONFIG, 10, 8);

    @Test
    void everyKindSavesAndLoadsBitwise() {
        try (NDManager manager = NDManager.newBaseManager()) {
            List<String> names = Architecture.componentNames(2, List.of(1));
            for (ComponentBlock original : FreshPath.components(manager, factory, names, 3)) {
                HostComponent host = original.toHost();
                byte[] bytes = ComponentCodec.encode(host);
                ComponentBlock loaded = factory.create(original.componentName());
                loaded.load(manager, ComponentCodec.decode(bytes, original.componentName()));
                assertTrue(host.bitwiseEquals(loaded.toHost()), original.componentName());
                assertEquals(original.parameterCount(), host.parameterCount());
            }
        }
    }

    @Test
    void trainedComponentRoundTripsWithMomentum() {
        try (NDManager manager = NDManager.newBaseManager()) {
            PathModel model = FreshPath.model(manager, new ComponentFactory(CONFIG, 4, 8), 1);
            TestTraining.train(manager, model, 20, 7);
            ComponentBlock block = model.component("encoderblock_0");
            HostComponent host = block.toHost();
            assertEquals(host.parameters().keySet(), host.momentum().keySet(), "momentum per param");
            HostComponent back = ComponentCodec.decode(ComponentCodec.encode(host), "trained");
            ComponentBlock loaded = new ComponentFactory(CONFIG, 4, 8).create("encoderblock_0");
            loaded.load(manager, back);
            assertTrue(host.bitwiseEquals(loaded.toHost()));
        }
    }

    @Test
    void sameNameSameSeedGivesSameInitAndOtherSeedDiffers() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ComponentBlock a = factory.create("encoderblock_1");
            ComponentBlock b = factory.create("encoderblock_1");
            ComponentBlock c = factory.create("encoderblock_1");
            a.initializeParameters(manager, 0);
            b.initializeParameters(manager, 0);
            c.initializeParameters(manager, 1);
            assertTrue(a.toHost().bitwiseEquals(b.toHost()));
            assertFalse(a.toHost().bitwiseEquals(c.toHost()));
        }
    }

    @Test
    void loadingTheWrongShapeNamesComponentAndShapes() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ComponentBlock head10 = new ComponentFactory(CONFIG, 10, 8).create("head");
            head10.initializeParameters(manager, 0);
            ComponentBlock head4 = new ComponentFactory(CONFIG, 4, 8).create("head");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> head4.load(manager, head10.toHost()));
            assertEquals("head.weight: expected shape (4, 64), got (10, 64)", e.getMessage());
        }
    }

    @Test
    void copyIsIndependentAndTrainable() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ComponentBlock frozen = factory.create("embedding");
            frozen.initializeParameters(manager, 0);
            frozen.setTrainable(false);
            ComponentBlock copy = frozen.copyTo(manager);
            assertTrue(copy.isTrainable());
            assertFalse(frozen.isTrainable());
            assertTrue(copy.toHost().bitwiseEquals(frozen.toHost()));
            copy.parameterArrays().get(0).addi(1f);
            assertFalse(copy.toHost().bitwiseEquals(frozen.toHost()));
        }
    }
}
