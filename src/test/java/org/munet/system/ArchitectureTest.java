package org.munet.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Slot names, shapes and parameter counts of the default tiny config, computed by hand. */
class ArchitectureTest {

    // patch 7, 1 channel, width 64, MLP 128, 4 heads
    private static final ModelDims DIMS = new ModelDims(7, 1, 64, 128, 4);

    private static Hyperparams tiny(int numLayers, String adapters, int adapterDim, int imageSize, int classes) {
        Map<String, Object> m = new TreeMap<>();
        m.put("num_layers", numLayers);
        m.put("adapter_layers", adapters);
        m.put("adapter_dim", adapterDim);
        m.put("ds_image_size", imageSize);
        m.put("num_classes", classes);
        return Hyperparams.of(m);
    }

    /*
     * Hand computation, D = 64:
     *  embedding     = 64*1*7*7 + 64                     = 3136 + 64          = 3200
     *  cls           = 64
     *  posembed      = ((28/7)^2 + 1) * 64 = 17 * 64                          = 1088
     *  encoderblock  = LN1 + LN2      = 2*(64+64)                             =   256
     *                + q,k,v          = 3*(64*64 + 64) = 3*4160               = 12480
     *                + attention out  = 64*64 + 64                            =  4160
     *                + MLP in         = 64*128 + 128                          =  8320
     *                + MLP out        = 128*64 + 64                           =  8256
     *                                                                 total   = 33472
     *  adapter (16)  = LN 2*64 + down 64*16+16 + up 16*64+64 = 128+1040+1088  =  2256
     *  encoder_norm  = 2*64                                                   =   128
     *  head          = 10*64 + 10                                             =   650
     *  path total    = 3200+64+1088 + 3*33472 + 2256 + 128 + 650              = 107802
     */
    @Test
    void defaultTinyConfigSlots() {
        List<Architecture.Slot> slots = Architecture.slots(DIMS, tiny(3, "1", 16, 28, 10));
        List<Architecture.Slot> expected = List.of(
                new Architecture.Slot("embedding", "[64,1,7,7]", 3200),
                new Architecture.Slot("cls", "[1,1,64]", 64),
                new Architecture.Slot("posembed_input", "[1,17,64]", 1088),
                new Architecture.Slot("encoderblock_0", "block[64,128,4]", 33472),
                new Architecture.Slot("residual_adapter_1", "adapter[64,16]", 2256),
                new Architecture.Slot("encoderblock_1", "block[64,128,4]", 33472),
                new Architecture.Slot("encoderblock_2", "block[64,128,4]", 33472),
                new Architecture.Slot("encoder_norm", "[64]", 128),
                new Architecture.Slot("head", "[10,64]", 650));
        assertEquals(expected, slots);
        assertEquals(107802, Architecture.parameterCount(DIMS, tiny(3, "1", 16, 28, 10)));
    }

    @Test
    void adapterWidthAndImageSizeChangeOnlyTheirSlots() {
        // adapter 32: 128 + (64*32+32) + (32*64+64) = 128 + 2080 + 2112 = 4320
        // image 14: (14/7)^2 + 1 = 5 tokens -> 5*64 = 320; head 5 classes: 5*64+5 = 325
        List<Architecture.Slot> slots = Architecture.slots(DIMS, tiny(2, "0_1", 32, 14, 5));
        assertEquals(List.of("embedding", "cls", "posembed_input", "residual_adapter_0", "encoderblock_0",
                "residual_adapter_1", "encoderblock_1", "encoder_norm", "head"),
                slots.stream().map(Architecture.Slot::name).toList());
        assertEquals(new Architecture.Slot("posembed_input", "[1,5,64]", 320), slots.get(2));
        assertEquals(new Architecture.Slot("residual_adapter_0", "adapter[64,32]", 4320), slots.get(3));
        assertEquals(new Architecture.Slot("head", "[5,64]", 325), slots.get(8));
    }

    @Test
    void adaptersAtOrAboveNumLayersHaveNoSlot() {
        List<String> names = Architecture.slots(DIMS, tiny(1, "0_3", 16, 28, 10)).stream()
                .map(Architecture.Slot::name).toList();
        assertEquals(List.of("embedding", "cls", "posembed_input", "residual_adapter_0", "encoderblock_0",
                "encoder_norm", "head"), names);
    }

    @Test
    void zeroLayers() {
        // 3200 + 64 + 1088 + 128 + 650 = 5130
        assertEquals(5130, Architecture.parameterCount(DIMS, tiny(0, "", 16, 28, 10)));
    }

    @Test
    void imageSizeMustBeAMultipleOfThePatch() {
        assertThrows(IllegalArgumentException.class, () -> Architecture.slots(DIMS, tiny(3, "", 16, 30, 10)));
    }

    @Test
    void adapterLayersEncoding() {
        assertEquals(List.of(0, 3, 7), List.copyOf(Architecture.adapterLayers("7_0_3")));
        assertEquals(List.of(), List.copyOf(Architecture.adapterLayers("")));
        assertEquals("0_3_7", Architecture.encodeAdapterLayers(List.of(7, 3, 0)));
        assertEquals("", Architecture.encodeAdapterLayers(List.of()));
        assertThrows(IllegalArgumentException.class, () -> Architecture.adapterLayers("0,3"));
    }
}
