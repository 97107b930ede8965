-- A call's components once, as a jsonb array on its row (docs/decisions/0060-components-on-the-call-row.md):
-- usage_call.components replaces usage_call_component, rating_call.components replaces rating_component.
-- Seven components were fourteen of a delivery's twenty-seven rows and most of its index entries; nothing
-- reads a component without its call, and every aggregate over components is per customer and day, which
-- the rollups already answer. The functions below give SQL the old tables' columns back, per call.

-- Usage: as the report gave them, in its order (seq is the position). The casts keep the old columns'
-- scales, so what readers see is what usage_call_component gave them.
create function usage_components(components jsonb)
    returns table (seq integer, cost_type text, layer text, provider text, model text, unit text,
                   quantity numeric(24, 6), provider_cost numeric(20, 10))
    language sql immutable parallel safe
as $$
    select (e.n - 1)::integer, e.v ->> 'costType', e.v ->> 'layer', e.v ->> 'provider', e.v ->> 'model',
        e.v ->> 'unit', (e.v ->> 'quantity')::numeric(24, 6), (e.v ->> 'providerCost')::numeric(20, 10)
    from jsonb_array_elements(components) with ordinality as e(v, n)
$$;

-- Rating: what each component was charged; seq points at the usage component it prices.
create function rated_components(components jsonb)
    returns table (seq integer, layer text, provider text, model text, unit text, quantity numeric,
                   provider_cost numeric, unit_price numeric, billed_unit_price numeric, charge numeric,
                   rate_source text, unpriced boolean)
    language sql immutable parallel safe
as $$
    select (e.v ->> 'seq')::integer, e.v ->> 'layer', e.v ->> 'provider', e.v ->> 'model', e.v ->> 'unit',
        (e.v ->> 'quantity')::numeric, (e.v ->> 'providerCost')::numeric, (e.v ->> 'unitPrice')::numeric,
        (e.v ->> 'billedUnitPrice')::numeric, (e.v ->> 'charge')::numeric, e.v ->> 'rateSource',
        (e.v ->> 'unpriced')::boolean
    from jsonb_array_elements(components) as e(v)
$$;

alter table usage_call add column components jsonb not null default '[]';
update usage_call c set components = a.components
from (select call_id, jsonb_agg(jsonb_build_object('costType', cost_type, 'layer', layer, 'provider', provider,
                                    'model', model, 'unit', unit, 'quantity', quantity,
                                    'providerCost', provider_cost) order by seq) as components
      from usage_call_component group by call_id) a
where a.call_id = c.id;
drop table usage_call_component;

alter table rating_call add column components jsonb not null default '[]';
update rating_call c set components = a.components
from (select call_id, customer_id,
             jsonb_agg(jsonb_build_object('seq', seq, 'layer', layer, 'provider', provider, 'model', model,
                           'unit', unit, 'quantity', quantity, 'providerCost', provider_cost,
                           'unitPrice', unit_price, 'billedUnitPrice', billed_unit_price, 'charge', charge,
                           'rateSource', rate_source, 'unpriced', unpriced) order by seq) as components
      from rating_component group by call_id, customer_id) a
where a.call_id = c.call_id and a.customer_id = c.customer_id;
drop table rating_component;
