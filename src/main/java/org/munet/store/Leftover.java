package org.munet.store;

/**
 * A file in a state that no committed version needs: what a crash (or a run in progress) leaves
 * behind. Not damage: the state reads the same with or without it.
 *
 * @param kind what sort of leftover, which decides whether {@code fsck --repair} removes it
 * @param path the file's full location
 */
public record Leftover(Kind kind, String path) {

    /** The sorts of leftover, each with the sentence that explains it to an operator. */
    public enum Kind {
        /** Under {@code staging/}: candidate outputs of a run that crashed, or of the run in progress. */
        STAGING("staging file", "candidate output of a run that stopped (or of the run in progress)", true),
        /** A hidden {@code .<name>.tmp-<random>}: a write a crash interrupted before its rename. */
        TEMPORARY("temporary file", "a write interrupted before its rename", true),
        /**
         * A component file at or above the latest version's next component id: promoted by a generation
         * whose manifest was never committed. The next evolve removes it and hands the id out again, so
         * fsck leaves it to that run rather than guess.
         */
        UNCOMMITTED_COMPONENT("uncommitted component",
                "promoted by a generation that was never committed; the next evolve removes it", false),
        /**
         * A component file below the latest version's next component id that no committed version
         * references. Nothing the store writes leaves one, so it is kept for a human to look at.
         */
        UNREFERENCED_COMPONENT("unreferenced component",
                "below next_component_id but referenced by no committed version; kept, delete it by hand if unwanted",
                false),
        /**
         * A dropped version's manifest or a component file only dropped versions referenced, listed by a
         * garbage collection that was interrupted ({@link CollectionJournal}); the next evolve or
         * {@code fsck --repair} finishes it.
         */
        PENDING_COLLECTION("pending collection",
                "listed by an interrupted garbage collection; the next evolve or fsck --repair removes it", true),
        /** {@code history/N.jsonl} of a version whose manifest was never committed; its next attempt overwrites it. */
        UNCOMMITTED_HISTORY("uncommitted history",
                "history of a version that was never committed; the next attempt of that version overwrites it", false);

        private final String label;
        private final String explanation;
        private final boolean removedByRepair;

        Kind(String label, String explanation, boolean removedByRepair) {
            this.label = label;
            this.explanation = explanation;
            this.removedByRepair = removedByRepair;
        }

        /** A few words naming the kind, for instance "staging file". */
        public String label() {
            return label;
        }

        /** Whether {@code fsck --repair} removes leftovers of this kind. */
        public boolean removedByRepair() {
            return removedByRepair;
        }
    }

    /** One line for an operator: kind, file, and why it is there. */
    public String describe() {
        return kind.label + " " + path + " (" + kind.explanation + ")";
    }
}
