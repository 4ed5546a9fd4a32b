package io.github.plantwatch.anomaly.detect;

import java.util.Optional;

/** Finds the model set that scores an asset's messages. */
public interface ModelResolver {

    /** The asset's own model set, else its group's, else the global one; empty when none exists. */
    Optional<ModelSet> forAsset(String assetId);
}
