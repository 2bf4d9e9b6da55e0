package org.munet.evolution;

import java.io.Serializable;

/**
 * How a child obtains one component (spec §2.4): share a frozen one by reference, clone one into a
 * new trainable copy (parameters and momentum), or create a fresh one.
 *
 * @param name component name, e.g. {@code encoderblock_2}
 * @param id the id the child's component has: the shared id for {@code REUSE}, a new id otherwise
 * @param action what the worker does
 * @param sourceId the component copied or shared; -1 for {@code NEW}
 * @param sourceSha256 checksum of the source's file, verified when it is read; null for {@code NEW}
 */
public record ComponentPlan(String name, long id, Action action, long sourceId, String sourceSha256)
        implements Serializable {

    public enum Action { REUSE, CLONE, NEW }

    public boolean trainable() {
        return action != Action.REUSE;
    }
}
