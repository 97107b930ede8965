package com.voiceledger.spendcap;

import com.voiceledger.audit.AuditLog;
import com.voiceledger.customer.Customer;
import com.voiceledger.rating.RatingQueries;
import com.voiceledger.shared.BadRequestException;
import com.voiceledger.shared.Money;
import com.voiceledger.shared.NotFoundException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Array;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Budgets per assistant (issue #29, decision 0069): a customer admin gives an assistant a monthly amount within
 * the customer's cap; admission refuses that assistant's calls ({@code assistant_budget}) once its month-to-date
 * spend reaches it, while the customer's other assistants go on; crossing a threshold raises an alert as the
 * cap's do (once per assistant, threshold and month).
 */
@Service
public class AssistantBudgets {

    static final List<Integer> DEFAULT_THRESHOLDS = List.of(50, 80, 100);
    private static final BigDecimal MOST = new BigDecimal("1000000000");

    private final JdbcClient jdbc;
    private final RatingQueries rating;
    private final Alerts alerts;
    private final AuditLog audit;
    private final Clock clock;

    AssistantBudgets(JdbcClient jdbc, RatingQueries rating, Alerts alerts, AuditLog audit, Clock clock) {
        this.jdbc = jdbc;
        this.rating = rating;
        this.alerts = alerts;
        this.audit = audit;
        this.clock = clock;
    }

    private record Row(String assistantId, BigDecimal amount, List<Integer> thresholds) {
    }

    @Transactional
    public AssistantBudget set(Customer customer, String assistantId, BigDecimal monthlyAmount,
            @Nullable List<Integer> thresholds, String actor) {
        if (assistantId.isBlank() || assistantId.length() > 200) {
            throw new BadRequestException("assistantId must be 1 to 200 characters");
        }
        if (monthlyAmount.signum() <= 0 || monthlyAmount.compareTo(MOST) > 0 || monthlyAmount.scale() > 2) {
            throw new BadRequestException("monthlyAmount must be more than 0, at most 1000000000, with at most 2 decimals");
        }
        List<Integer> rising = thresholds == null || thresholds.isEmpty() ? DEFAULT_THRESHOLDS : List.copyOf(thresholds);
        int previous = 0;
        for (int threshold : rising) {
            if (threshold <= previous || threshold > 100) {
                throw new BadRequestException("thresholds must rise from 1 to 100, got " + rising);
            }
            previous = threshold;
        }
        jdbc.sql("""
                insert into spendcap_assistant_budget (customer_id, assistant_id, monthly_amount, thresholds, updated_at,
                    updated_by)
                values (:customer, :assistant, :amount, cast(:thresholds as integer[]), :now, :actor)
                on conflict (customer_id, assistant_id) do update set monthly_amount = excluded.monthly_amount,
                    thresholds = excluded.thresholds, updated_at = excluded.updated_at, updated_by = excluded.updated_by
                """)
                .param("customer", customer.id().value())
                .param("assistant", assistantId)
                .param("amount", monthlyAmount)
                .param("thresholds", "{" + String.join(",", rising.stream().map(String::valueOf).toList()) + "}")
                .param("now", Timestamp.from(clock.instant()))
                .param("actor", actor)
                .update();
        audit.record(actor, "assistant budget set", "customer " + customer.externalId() + ", assistant " + assistantId,
                "set by the customer", Map.of("monthlyAmount", monthlyAmount.toPlainString(), "thresholds", rising));
        return budgets(customer).stream().filter(b -> b.assistantId().equals(assistantId)).findFirst().orElseThrow();
    }

    @Transactional
    public void remove(Customer customer, String assistantId, String actor) {
        int removed = jdbc.sql("delete from spendcap_assistant_budget where customer_id = :customer and assistant_id = :assistant")
                .param("customer", customer.id().value()).param("assistant", assistantId).update();
        if (removed == 0) {
            throw new NotFoundException("no budget for assistant '" + assistantId + "'");
        }
        audit.record(actor, "assistant budget removed", "customer " + customer.externalId() + ", assistant " + assistantId,
                "removed by the customer", Map.of());
    }

    @Transactional(readOnly = true)
    public List<AssistantBudget> budgets(Customer customer) {
        List<AssistantBudget> budgets = new ArrayList<>();
        for (Row row : rows(customer, null)) {
            budgets.add(standing(customer, row));
        }
        return budgets;
    }

    /**
     * Admission's check, under the customer's admission lock: refused when the assistant's budget is spent; the
     * thresholds it has crossed raise their alerts.
     */
    Optional<Admission> refusal(Customer customer, @Nullable String assistantId, @Nullable BigDecimal remaining) {
        if (assistantId == null) {
            return Optional.empty();
        }
        List<Row> rows = rows(customer, assistantId);
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        AssistantBudget budget = standing(customer, rows.getFirst());
        if (budget.percent() != null) {
            for (int threshold : budget.thresholds()) {
                if (budget.percent() >= threshold) {
                    alerts.raise(customer.id(), month(customer), "ASSISTANT_BUDGET " + assistantId, threshold,
                            "Assistant " + assistantId + " has used " + budget.percent() + " % of its "
                                    + budget.monthlyAmount().toPlainString() + " " + budget.currency() + " monthly budget"
                                    + (threshold >= 100 ? ": its new calls are refused." : "."));
                }
            }
        }
        if (budget.spent().compareTo(budget.monthlyAmount()) >= 0) {
            return Optional.of(Admission.refused("assistant_budget", "assistant " + assistantId + " has spent its "
                    + budget.monthlyAmount().toPlainString() + " " + budget.currency() + " monthly budget", remaining,
                    customer.externalId(), assistantId));
        }
        return Optional.empty();
    }

    private AssistantBudget standing(Customer customer, Row row) {
        Instant now = clock.instant();
        BigDecimal reserved = jdbc.sql("""
                select coalesce(sum(amount), 0) from spendcap_reservation
                where customer_id = :id and assistant_id = :assistant and released_at is null and expires_at > :now
                """)
                .param("id", customer.id().value()).param("assistant", row.assistantId())
                .param("now", Timestamp.from(now)).query(BigDecimal.class).single();
        BigDecimal spent = rating.monthCharge(customer.id(), month(customer), row.assistantId()).add(reserved);
        Integer percent = spent.signum() == 0 ? null
                : spent.multiply(BigDecimal.valueOf(100)).divide(row.amount(), 0, RoundingMode.DOWN).intValue();
        return new AssistantBudget(row.assistantId(), row.amount(), row.thresholds(), customer.currency(),
                Money.round(spent, customer.currency()),
                Money.round(row.amount().subtract(spent).max(BigDecimal.ZERO), customer.currency()), percent);
    }

    private YearMonth month(Customer customer) {
        return YearMonth.from(clock.instant().atZone(customer.billingTimeZone()));
    }

    private List<Row> rows(Customer customer, @Nullable String assistantId) {
        return jdbc.sql("""
                select assistant_id, monthly_amount, thresholds from spendcap_assistant_budget
                where customer_id = :customer and (cast(:assistant as text) is null or assistant_id = :assistant)
                order by assistant_id
                """)
                .param("customer", customer.id().value())
                .param("assistant", assistantId)
                .query((rs, n) -> new Row(rs.getString(1), rs.getBigDecimal(2), thresholds(rs.getArray(3))))
                .list();
    }

    private static List<Integer> thresholds(Array array) throws java.sql.SQLException {
        return Arrays.stream((Integer[]) array.getArray()).toList();
    }
}
