package com.voiceledger.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.voiceledger.VoiceLedgerApplication;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModule;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;
import org.springframework.util.FileSystemUtils;

/** Feature modules use each other's API packages only, and never form cycles. */
class ModularityTests {

    static final ApplicationModules MODULES = ApplicationModules.of(VoiceLedgerApplication.class);

    @Test
    void modulesRespectTheirBoundaries() {
        MODULES.verify();
    }

    /**
     * Writes the module diagrams (what this test used to do and nothing more) and checks them: one
     * diagram per module, and the overview names every module, so a module the documenter cannot see
     * (or a broken write) fails here instead of leaving stale pictures behind.
     */
    @Test
    void writesAnOverviewAndOneDiagramPerModuleNamingEveryModule() throws IOException {
        Path folder = Path.of("target", "spring-modulith-docs");
        FileSystemUtils.deleteRecursively(folder);
        new Documenter(MODULES, Documenter.Options.defaults().withOutputFolder(folder.toString()))
                .writeModulesAsPlantUml().writeIndividualModulesAsPlantUml();
        long modules = MODULES.stream().count();
        assertThat(modules).isGreaterThan(5);
        try (Stream<Path> files = Files.list(folder)) {
            assertThat(files.map(path -> path.getFileName().toString()).filter(name -> name.startsWith("module-")
                    && name.endsWith(".puml"))).hasSize((int) modules);
        }
        String overview = Files.readString(folder.resolve("components.puml"));
        for (ApplicationModule module : MODULES) {
            assertThat(overview).as("the overview names " + module.getDisplayName()).contains(module.getDisplayName());
        }
    }
}
