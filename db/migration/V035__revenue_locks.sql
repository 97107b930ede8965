-- Revenue recognition month locks (module: revenue). Locking a month locks every earlier month too
-- (books closed through that month); the entries recognized in locked months are stored, so a locked
-- month's figures never change, and a document not among them is recognized in the first open month.
create table revenue_period_lock (
    month     date        primary key,        -- first day of the month locked through
    locked_at timestamptz not null,
    locked_by text        not null,
    reason    text        not null
);

-- What each locked month recognized, document by document and category by category (amounts as §6
-- defines them; 'invoiced' is the document's subtotal + credits, for the check).
create table revenue_locked_entry (
    month        date           not null,     -- the month it is recognized in
    document_id  bigint         not null,     -- billing's invoice or credit note (billing owns that table)
    number       text           not null,
    customer_id  bigint         not null,
    currency     text           not null,
    category     text           not null,
    amount       numeric(20, 2) not null,
    billed_month date           not null,     -- the document's own month: differs after a lock (catch-up)
    primary key (document_id, category)
);
create index revenue_locked_entry_month on revenue_locked_entry (month);
