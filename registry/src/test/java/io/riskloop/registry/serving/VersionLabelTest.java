package io.riskloop.registry.serving;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The label decisions carry names the version that decided them, and reads back to it. */
class VersionLabelTest {

    @Test
    void aLabelReadsBackToItsModelAndVersion() {
        assertThat(ServingModelLoader.parseLabel("fraud/3")).contains(new ServingModelLoader.Label("fraud", 3));
        // the last slash separates: model names may hold one
        assertThat(ServingModelLoader.parseLabel("team/fraud/12")).contains(new ServingModelLoader.Label("team/fraud", 12));
    }

    @Test
    void whatIsNotARegistryLabelIsNone() {
        assertThat(ServingModelLoader.parseLabel("fraud-xgb")).isEmpty();
        assertThat(ServingModelLoader.parseLabel("fraud/latest")).isEmpty();
        assertThat(ServingModelLoader.parseLabel("/3")).isEmpty();
        assertThat(ServingModelLoader.parseLabel("fraud/99999999999")).isEmpty();
        assertThat(ServingModelLoader.parseLabel(null)).isEmpty();
    }
}
