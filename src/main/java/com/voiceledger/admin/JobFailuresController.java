package com.voiceledger.admin;

import com.voiceledger.jobs.JobFailure;
import com.voiceledger.jobs.JobFailures;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Finance (and an operator's script) reads which items of the background jobs fail now (issue #27). */
@RestController
@RequestMapping(path = "/api/admin/v1", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Admin: operations")
class JobFailuresController {

    private final JobFailures failures;

    JobFailuresController(JobFailures failures) {
        this.failures = failures;
    }

    @GetMapping("/job-failures")
    @Operation(summary = "Items of background jobs (attribution, notices, alerts, Stripe pushes, webhook recovery, "
            + "retention) that failed and have not succeeded since; the jobs went on with their other items")
    List<JobFailure> open() {
        return failures.open();
    }
}
