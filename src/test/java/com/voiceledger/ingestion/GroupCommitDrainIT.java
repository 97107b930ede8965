package com.voiceledger.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import com.voiceledger.database.DeferredWrites;
import com.voiceledger.support.IntegrationTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Group commit at shutdown (issue #27): a writer that has taken deliveries and is still gathering its batch
 * when the application stops writes them (or tells their requests to go on alone); none is left unanswered
 * and unwritten. A group commit of its own on the application's database, one writer that gathers for 3 s, so
 * that the stop lands while the batch is being gathered; its writes go to a table of this test's.
 */
@IntegrationTest
class GroupCommitDrainIT {

    @Autowired
    PlatformTransactionManager transactionManager;
    @Autowired
    DeferredWrites deferred;
    @Autowired
    JdbcClient jdbc;

    @Test
    void deliveriesAWriterHasTakenWhenTheApplicationStopsAreWrittenAndAnsweredNotDropped() throws Exception {
        jdbc.sql("create table if not exists group_commit_drain_test (id text primary key)").update();
        GroupCommit groupCommit = new GroupCommit(
                new GroupCommitProperties(true, 32, Duration.ofSeconds(3), 1, Duration.ofSeconds(10)),
                transactionManager, deferred);
        GroupCommit.BatchWriter<String> writer = ids -> {
            List<IngestResult> results = new ArrayList<>();
            for (String id : ids) {
                jdbc.sql("insert into group_commit_drain_test (id) values (:id)").param("id", id).update();
                results.add(new IngestResult(0, WebhookEventStatus.PROCESSED, "test", id, null));
            }
            return results;
        };
        List<String> ids = List.of(UUID.randomUUID().toString(), UUID.randomUUID().toString(),
                UUID.randomUUID().toString());
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<CompletableFuture<IngestResult>> answers = new ArrayList<>();
            for (String id : ids) {
                answers.add(CompletableFuture.supplyAsync(() -> groupCommit.run("customer", id, id, id, writer), threads));
            }
            // the writer has taken all three and gathers for more (3 s): the stop comes now
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (groupCommit.queued() > 0 || answers.stream().anyMatch(CompletableFuture::isDone)) {
                assertThat(System.nanoTime()).as("the writer took the deliveries").isLessThan(deadline);
                Thread.sleep(10);
            }
            Thread.sleep(200);
            CompletableFuture<Void> stopping = CompletableFuture.runAsync(groupCommit::destroy, threads);

            List<String> unanswered = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) {
                try {
                    IngestResult result = answers.get(i).get(15, TimeUnit.SECONDS);
                    assertThat(result.callId()).isEqualTo(ids.get(i));
                } catch (TimeoutException e) {
                    unanswered.add(ids.get(i));
                }
            }
            assertThat(unanswered).as("deliveries never answered").isEmpty();
            stopping.get(15, TimeUnit.SECONDS);
            assertThat(jdbc.sql("select count(*) from group_commit_drain_test where id in (:ids)").param("ids", ids)
                    .query(Long.class).single()).as("written").isEqualTo(3L);

            // positive control of the other side: a delivery after the stop is not taken; it goes on alone at once
            CompletableFuture<IngestResult> late = CompletableFuture.supplyAsync(
                    () -> groupCommit.run("customer", "late", "late", "late", writer), threads);
            assertThat(late).failsWithin(Duration.ofSeconds(5)).withThrowableThat()
                    .havingCause().isInstanceOf(GroupCommit.BatchFailed.class);
        } finally {
            threads.shutdownNow();
        }
    }
}
