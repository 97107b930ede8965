-- wrk load generator for POST /webhooks/vapi (docs/performance.md, issue #17):
--   wrk -t2 -c32 -d30s -s bench/wrk/end-of-call.lua http://127.0.0.1:18170/webhooks/vapi
-- Every request is a unique end-of-call report (the platform's sample with 5 cost entries: telephony, STT,
-- LLM (prompt, cached prompt and completion tokens), TTS and platform, so 7 components), for one of
-- BENCH_CUSTOMERS customers (bench-0 .. bench-49, created by bench/ingest-wrk.sh) and one of
-- BENCH_ASSISTANTS assistants per customer, on BENCH_DAY (today, so calls land in the open month).
-- Environment: BENCH_SECRET (the Vapi shared secret), BENCH_CUSTOMERS, BENCH_ASSISTANTS, BENCH_DAY, BENCH_RUN
-- (a number in the call ids, so that two runs on one database never share one).
-- Optional, for a populated data set (bench/ingest-populated.sh):
--   BENCH_TARGETS: a file of "metadata-key assistant-id weight" lines (the data set's own customers and
--     assistants, weighted by their calls); each request picks one line with probability ∝ weight, so the
--     load has the data set's skew. Without it, bench-0 .. bench-(BENCH_CUSTOMERS-1) as above.
--   BENCH_CALL_TIME=now: the call starts 4 minutes before the run starts (and ends ~3 minutes later)
--     instead of at 14:05 UTC on BENCH_DAY.

local template_path = os.getenv("BENCH_TEMPLATE") or "bench/wrk/end-of-call-template.json"
local customers = tonumber(os.getenv("BENCH_CUSTOMERS") or "50")
local assistants = tonumber(os.getenv("BENCH_ASSISTANTS") or "3")
local day = os.getenv("BENCH_DAY") or os.date("!%Y-%m-%d")
local secret = os.getenv("BENCH_SECRET") or "demo-vapi-secret"
local run = os.getenv("BENCH_RUN") or tostring(os.time())

local file = assert(io.open(template_path, "r"))
local template = file:read("*a")
file:close()
if os.getenv("BENCH_CALL_TIME") == "now" then
   -- the template's times, moved so that the call starts 4 minutes ago; durations and costs unchanged
   local start = os.time() - 240
   local function at(offset_ms)
      local t = start * 1000 + offset_ms
      return os.date("!%Y-%m-%dT%H:%M:%S", math.floor(t / 1000)) .. string.format(".%03dZ", t % 1000)
   end
   template = template:gsub("@DAY@T14:05:10.412Z", at(0)):gsub("@DAY@T14:08:27.950Z", at(197538))
      :gsub("@DAY@T14:05:12.100Z", at(1688)):gsub("@DAY@T14:08:24.100Z", at(193688))
end
template = template:gsub("@DAY@", day)

-- the weighted targets: cumulative weights for a binary search
local targets = nil
local target_path = os.getenv("BENCH_TARGETS")
if target_path and target_path ~= "" then
   targets = { keys = {}, assistants = {}, cumulative = {}, total = 0 }
   for line in io.lines(target_path) do
      local key, assistant, weight = line:match("^(%S+)%s+(%S+)%s+(%d+)")
      if key and tonumber(weight) > 0 then
         targets.total = targets.total + tonumber(weight)
         table.insert(targets.keys, key)
         table.insert(targets.assistants, assistant)
         table.insert(targets.cumulative, targets.total)
      end
   end
   assert(#targets.keys > 0, "no targets in " .. target_path)
end

local function pick_target()
   local r = math.random() * targets.total
   local low, high = 1, #targets.cumulative
   while low < high do
      local mid = math.floor((low + high) / 2)
      if targets.cumulative[mid] < r then low = mid + 1 else high = mid end
   end
   return targets.keys[low], targets.assistants[low]
end

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
   math.randomseed(tonumber(run) * 16 + thread_number) -- reproducible, different per thread
end

function request()
   counter = counter + 1
   local n = counter * 16 + thread_number -- unique across threads (at most 16); thread_number is set by setup()
   local call = string.format("%08x-0000-4000-8000-%012x", tonumber(run) % 4294967296, n)
   local key, assistant
   if targets then
      key, assistant = pick_target()
   else
      local customer = n % customers
      key = "bench-" .. customer
      assistant = string.format("asst-%d-%d", customer, math.floor(n / customers) % assistants)
   end
   local body = template:gsub("@CALL@", call)
      :gsub("@SID@", "CA" .. call:gsub("-", ""))
      :gsub("@CUSTOMER@", key)
      :gsub("@ASSISTANT@", assistant)
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
