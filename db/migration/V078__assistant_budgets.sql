-- Budgets per assistant (cost centres, issue #29): a monthly amount a customer admin sets for one of its
-- assistants, within the customer's cap; admission refuses that assistant's calls once its month-to-date
-- spend (rated charges plus its calls in progress) reaches the amount, while its siblings are still admitted.
create table spendcap_assistant_budget (
    customer_id    bigint         not null references customer (id),
    assistant_id   text           not null,
    monthly_amount numeric(20, 2) not null check (monthly_amount > 0),
    thresholds     integer[]      not null,
    updated_at     timestamptz    not null,
    updated_by     text           not null,
    primary key (customer_id, assistant_id)
);
