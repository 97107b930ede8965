-- Statistics for the tables V063 filled or changed, so that the first closes after the migration plan
-- their reads of the invoice-line rollup by its key (decision 0050) instead of guessing from empty tables.
analyze rating_close;
analyze rating_invoice_rollup;
analyze rating_call;
