-- Customers of the platform and how calls are attributed to them (module: customer).
create table customer (
    id                bigserial primary key,
    external_id       text        not null unique,
    name              text        not null,
    currency          text        not null check (currency ~ '^[A-Z]{3}$'),
    billing_time_zone text        not null,
    created_at        timestamptz not null
);

-- An assistantId, phoneNumberId or orgId of the voice platform that belongs to one customer.
create table customer_attribution (
    id          bigserial primary key,
    customer_id bigint      not null references customer (id),
    type        text        not null check (type in ('assistantId', 'phoneNumberId', 'orgId')),
    value       text        not null,
    created_at  timestamptz not null,
    unique (type, value)
);
create index customer_attribution_customer on customer_attribution (customer_id);

-- People who log in (module: security). Customer roles are scoped to exactly one customer.
create table security_user (
    id            bigserial primary key,
    username      text        not null unique,
    display_name  text        not null,
    password_hash text        not null,
    role          text        not null check (role in ('CUSTOMER_VIEWER', 'CUSTOMER_ADMIN', 'FINANCE_ADMIN')),
    customer_id   bigint references customer (id),
    created_at    timestamptz not null,
    check ((role = 'FINANCE_ADMIN') = (customer_id is null))
);

-- Machine credentials. Only a SHA-256 of the secret is kept; the key is shown once.
create table security_api_key (
    id           bigserial primary key,
    customer_id  bigint      not null references customer (id),
    name         text        not null,
    prefix       text        not null,
    secret_hash  char(64)    not null unique,
    created_at   timestamptz not null,
    last_used_at timestamptz,
    revoked_at   timestamptz
);
create index security_api_key_customer on security_api_key (customer_id);
