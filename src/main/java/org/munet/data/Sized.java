package org.munet.data;

/** Decoded data that knows how many bytes it holds: what {@link TaskDataCache} bounds. */
interface Sized {

    long bytes();
}
