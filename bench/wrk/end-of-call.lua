-- wrk load generator for POST /webhooks/vapi (docs/performance.md, issue #17):
--   wrk -t2 -c32 -d30s -s bench/wrk/end-of-call.lua http://127.0.0.1:18170/webhooks/vapi
-- Every request is a unique end-of-call report (the platform's sample with 5 cost entries: telephony, STT,
-- LLM (prompt, cached prompt and completion tokens), TTS and platform, so 7 components), for one of
-- BENCH_CUSTOMERS customers (bench-0 .. bench-49, created by bench/ingest-wrk.sh) and one of
-- BENCH_ASSISTANTS assistants per customer, on BENCH_DAY (today, so calls land in the open month).
-- Environment: BENCH_SECRET (the Vapi shared secret), BENCH_CUSTOMERS, BENCH_ASSISTANTS, BENCH_DAY, BENCH_RUN
-- (a number in the call ids, so that two runs on one database never share one).

local template_path = os.getenv("BENCH_TEMPLATE") or "bench/wrk/end-of-call-template.json"
local customers = tonumber(os.getenv("BENCH_CUSTOMERS") or "50")
local assistants = tonumber(os.getenv("BENCH_ASSISTANTS") or "3")
local day = os.getenv("BENCH_DAY") or os.date("!%Y-%m-%d")
local secret = os.getenv("BENCH_SECRET") or "demo-vapi-secret"
local run = os.getenv("BENCH_RUN") or tostring(os.time())

local file = assert(io.open(template_path, "r"))
local template = file:read("*a")
file:close()
template = template:gsub("@DAY@", day)

local threads = {}
local counter = 0

function setup(thread)
   thread:set("thread_number", #threads + 1)
   table.insert(threads, thread)
end

function init(args)
   counter = 0
   wrk.method = "POST"
   wrk.headers["Content-Type"] = "application/json"
   wrk.headers["X-Vapi-Secret"] = secret
end

function request()
   counter = counter + 1
   local n = counter * 16 + thread_number -- unique across threads (at most 16); thread_number is set by setup()
   local call = string.format("%08x-0000-4000-8000-%012x", tonumber(run) % 4294967296, n)
   local customer = n % customers
   local body = template:gsub("@CALL@", call)
      :gsub("@SID@", "CA" .. call:gsub("-", ""))
      :gsub("@CUSTOMER@", "bench-" .. customer)
      :gsub("@ASSISTANT@", string.format("asst-%d-%d", customer, math.floor(n / customers) % assistants))
   return wrk.format(nil, nil, nil, body)
end

local statuses = {}

function response(status, headers, body)
   statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
   io.write(string.format("WRK requests=%d seconds=%.2f rate=%.1f p50_ms=%.1f p95_ms=%.1f p99_ms=%.1f max_ms=%.1f "
      .. "errors_status=%d errors_connect=%d errors_timeout=%d\n",
      summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
      latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
      latency.max / 1000, summary.errors.status, summary.errors.connect, summary.errors.timeout))
end
