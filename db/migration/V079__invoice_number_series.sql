-- Legal invoice numbers (issue #31, decision 0071): one gapless, monotonic series per issuing entity, year
-- (of the finalization, in UTC) and series (invoices, credit notes). A finalization takes the next number by
-- incrementing its counter row inside the finalizing transaction: the row stays locked until that commits,
-- so a rolled-back finalization gives its number back and two instances never take the same one.
-- Numbers issued before (VL-yyyyMM-<id>, VL-CN-<id>) stay as they are; each new series starts at 1.
create table billing_number_series (
    entity      text   not null,
    series      text   not null check (series in ('INVOICE', 'CREDIT_NOTE')),
    year        int    not null check (year between 2000 and 9999),
    last_number bigint not null check (last_number > 0),
    primary key (entity, series, year)
);
