-- Names of a customer's assistants and phone numbers (module: usage, docs/decisions/0044-names-for-assistants.md).
-- Per customer, so one customer's name for an id is never shown to another. A name from the platform's
-- payload is kept until a person names the resource; a person's name is never overwritten by a payload.
create table resource_name (
    customer_id  bigint      not null references customer (id),
    kind         text        not null check (kind in ('assistant', 'phone_number')),
    resource_id  text        not null,
    name         text        not null check (length(name) between 1 and 200),
    source       text        not null check (source in ('payload', 'person')),
    named_by     text,
    named_at     timestamptz not null,
    primary key (customer_id, kind, resource_id)
);
