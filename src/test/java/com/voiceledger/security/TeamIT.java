package com.voiceledger.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.voiceledger.audit.AuditLog;
import com.voiceledger.customer.Customer;
import com.voiceledger.shared.BadRequestException;
import com.voiceledger.shared.ConflictException;
import com.voiceledger.shared.NotFoundException;
import com.voiceledger.support.IntegrationTest;
import com.voiceledger.support.TestFixtures;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.core.userdetails.UsernameNotFoundException;

/** A customer admin manages its own team: add, change role, remove; never another customer's people. */
@IntegrationTest
class TeamIT {

    @Autowired
    UserService users;
    @Autowired
    TestFixtures fixtures;
    @Autowired
    AuditLog audit;
    @Autowired
    LoginThrottle throttle;

    String suffix;
    Customer acme;
    Customer globex;
    String admin;

    @BeforeEach
    void setUp() {
        suffix = UUID.randomUUID().toString().substring(0, 8);
        acme = fixtures.customer("team-acme-" + suffix);
        globex = fixtures.customer("team-globex-" + suffix);
        admin = "boss-" + suffix;
        users.create(admin, "Bo Boss", "password-123", Role.CUSTOMER_ADMIN, acme.id());
    }

    @Test
    void anAdminAddsAViewerPromotesItAndRemovesItAndEachStepIsAudited() {
        String viewer = "vi-" + suffix;
        users.addTeamMember(acme.id(), viewer, "Vi", "password-123", Role.CUSTOMER_VIEWER, admin);
        assertThat(users.usersOf(acme.id())).extracting(UserAccount::username).contains(admin, viewer);

        users.changeRole(acme.id(), viewer, Role.CUSTOMER_ADMIN, admin);
        assertThat(users.findAccount(viewer).orElseThrow().role()).isEqualTo(Role.CUSTOMER_ADMIN);

        users.removeTeamMember(acme.id(), viewer, admin);
        assertThat(users.usersOf(acme.id())).extracting(UserAccount::username).containsExactly(admin);
        assertThatThrownBy(() -> users.loadUserByUsername(viewer)).as("a removed login cannot sign in")
                .isInstanceOf(UsernameNotFoundException.class);
        assertThatThrownBy(() -> users.addTeamMember(acme.id(), viewer, "Again", "password-123",
                Role.CUSTOMER_VIEWER, admin)).as("its username stays taken").isInstanceOf(ConflictException.class);
        assertThat(audit.entries(viewer, 10)).extracting(entry -> entry.action())
                .contains("team member added", "team member role changed", "team member removed");
    }

    @Test
    void someoneChangesTheirOwnPasswordOnlyByKnowingTheCurrentOne() {
        assertThatThrownBy(() -> users.changePassword(admin, "wrong-password", "new-password-456"))
                .isInstanceOf(BadRequestException.class).hasMessage("the current password is not right");
        assertThatThrownBy(() -> users.changePassword(admin, "password-123", "short"))
                .isInstanceOf(BadRequestException.class);
        users.changePassword(admin, "password-123", "new-password-456");
        assertThatThrownBy(() -> users.changePassword(admin, "password-123", "another-password"))
                .as("the old one no longer works").isInstanceOf(BadRequestException.class);
        users.changePassword(admin, "new-password-456", "password-123");
        assertThat(audit.entries(admin, 10)).extracting(entry -> entry.action()).contains("password changed");
    }

    @Test
    void aTeamKeepsAtLeastOneAdmin() {
        assertThatThrownBy(() -> users.changeRole(acme.id(), admin, Role.CUSTOMER_VIEWER, admin))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("needs an admin");
        assertThatThrownBy(() -> users.removeTeamMember(acme.id(), admin, admin))
                .isInstanceOf(BadRequestException.class);
    }

    @Test
    void anotherCustomersPeopleAndFinanceAreOutOfReach() {
        String stranger = "gx-" + suffix;
        users.create(stranger, "Gx", "password-123", Role.CUSTOMER_ADMIN, globex.id());
        assertThatThrownBy(() -> users.removeTeamMember(acme.id(), stranger, admin))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> users.changeRole(acme.id(), stranger, Role.CUSTOMER_VIEWER, admin))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> users.addTeamMember(acme.id(), "fin-" + suffix, "F", "password-123",
                Role.FINANCE_ADMIN, admin)).isInstanceOf(BadRequestException.class);
        assertThat(users.usersOf(globex.id())).extracting(UserAccount::username).containsExactly(stranger);
    }

    @Test
    void theSixthWrongCurrentPasswordIsRefusedUncheckedAndSoIsTheRightOneUntilTheBudgetRefills() {
        for (int attempt = 0; attempt < 5; attempt++) {
            assertThatThrownBy(() -> users.changePassword(admin, "wrong-password", "new-password-456"))
                    .as("wrong current password %s, checked", attempt)
                    .isInstanceOf(BadRequestException.class).hasMessage("the current password is not right");
        }
        long refusedBefore = throttle.refusedUnchecked();

        assertThatThrownBy(() -> users.changePassword(admin, "wrong-password", "new-password-456"))
                .as("the sixth wrong one").isInstanceOf(BadRequestException.class)
                .hasMessageStartingWith("too many wrong passwords");
        assertThatThrownBy(() -> users.changePassword(admin, "password-123", "new-password-456"))
                .as("even the right one, unchecked").isInstanceOf(BadRequestException.class)
                .hasMessageStartingWith("too many wrong passwords");

        assertThat(throttle.refusedUnchecked() - refusedBefore).as("refused before any hash was checked").isEqualTo(2);
        assertThat(audit.entries("login " + admin, 10)).extracting(entry -> entry.action()).containsOnlyOnce("sign-in locked");
    }

    @Test
    void theRightCurrentPasswordAfterFourWrongOnesIsAcceptedAndStartsTheCountAfresh() {
        for (int attempt = 0; attempt < 4; attempt++) {
            assertThatThrownBy(() -> users.changePassword(admin, "wrong-password", "new-password-456"))
                    .isInstanceOf(BadRequestException.class).hasMessage("the current password is not right");
        }
        users.changePassword(admin, "password-123", "new-password-456");

        for (int attempt = 0; attempt < 4; attempt++) {
            assertThatThrownBy(() -> users.changePassword(admin, "wrong-password", "another-password"))
                    .as("after a success the budget is whole again: wrong %s is still checked", attempt)
                    .isInstanceOf(BadRequestException.class).hasMessage("the current password is not right");
        }
        users.changePassword(admin, "new-password-456", "password-123");
        assertThat(audit.entries(admin, 10)).extracting(entry -> entry.action()).contains("password changed");
    }
}
