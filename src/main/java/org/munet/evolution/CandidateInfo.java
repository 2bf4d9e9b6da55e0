package org.munet.evolution;

import java.util.List;
import java.util.Map;

/**
 * A candidate as a generation starts, for progress views: its path, its parent, what was mutated.
 *
 * @param pathId the child path's id
 * @param parentId the parent path's id (null for none)
 * @param mutations hyperparameters that differ from the parent: key to [parent value, child value]
 * @param newParams parameters created or cloned for the child
 */
public record CandidateInfo(long pathId, Long parentId, Map<String, List<Object>> mutations, long newParams) {}
