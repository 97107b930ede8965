package com.voiceledger.architecture;

import com.voiceledger.VoiceLedgerApplication;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

/** Feature modules use each other's API packages only, and never form cycles. */
class ModularityTests {

    static final ApplicationModules MODULES = ApplicationModules.of(VoiceLedgerApplication.class);

    @Test
    void modulesRespectTheirBoundaries() {
        MODULES.verify();
    }

    @Test
    void writesTheModuleDocumentation() {
        new Documenter(MODULES).writeModulesAsPlantUml().writeIndividualModulesAsPlantUml();
    }
}
