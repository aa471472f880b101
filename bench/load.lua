-- wrk script for the benchmark: a fixed number of requests, rotating identities, non-2xx counted.
-- Environment: BENCH_LIMIT (requests per thread), BENCH_METHOD, BENCH_PATH, BENCH_BODY (a file),
-- BENCH_IDENTITIES (a file: "cookie<TAB>csrf" per line), BENCH_HTMX, BENCH_ORIGIN, BENCH_MARKERS (a folder).
local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_usec; } bench_timeval;
int gettimeofday(bench_timeval *tv, void *tz);
]]

local function now()
  local tv = ffi.new("bench_timeval")
  ffi.C.gettimeofday(tv, nil)
  return tonumber(tv.tv_sec) + tonumber(tv.tv_usec) / 1e6
end

local function read(path)
  local file = assert(io.open(path, "rb"))
  local text = file:read("*a")
  file:close()
  return text
end

local threads = {}
local thread_count = 0

function setup(thread)
  thread:set("tid", thread_count)
  thread_count = thread_count + 1
  table.insert(threads, thread)
end

function init(args)
  limit = tonumber(os.getenv("BENCH_LIMIT"))
  sent, completed, non2xx, bad_status, finished = 0, 0, 0, 0, false
  local method = os.getenv("BENCH_METHOD") or "GET"
  local path = os.getenv("BENCH_PATH")
  local body = nil
  if (os.getenv("BENCH_BODY") or "") ~= "" then body = read(os.getenv("BENCH_BODY")) end
  local base = { ["X-Forwarded-Proto"] = "https", ["Accept-Encoding"] = "gzip, br" }
  if body then base["Content-Type"] = "application/x-www-form-urlencoded" end
  if os.getenv("BENCH_HTMX") == "1" then base["HX-Request"] = "true" end
  requests = {}
  local identities = os.getenv("BENCH_IDENTITIES") or ""
  if identities ~= "" then
    for line in io.lines(identities) do
      local cookie, csrf = line:match("^([^\t]*)\t(.*)$")
      local headers = {}
      for k, v in pairs(base) do headers[k] = v end
      headers["Cookie"] = cookie
      if method == "POST" then
        headers["X-CSRFToken"] = csrf
        headers["Origin"] = os.getenv("BENCH_ORIGIN")
      end
      table.insert(requests, wrk.format(method, path, headers, body))
    end
  else
    table.insert(requests, wrk.format(method, path, base, body))
  end
  -- Threads start at different identities so they do not walk the class in step.
  index = (tid * 7919) % #requests
end

-- Each thread sends exactly its share: a connection with nothing left to send waits (an hour),
-- so no request is left queued in the server when the thread stops.
function delay()
  if sent >= limit then return 3600000 end
  return 0
end

function request()
  if not t_start then t_start = now() end
  sent = sent + 1
  index = index % #requests + 1
  return requests[index]
end

function response(status, headers, body)
  completed = completed + 1
  t_last = now()
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
    bad_status = status
  end
  if completed >= limit and not finished then
    finished = true
    t_end = now()
    local marker = io.open(os.getenv("BENCH_MARKERS") .. "/" .. tid, "w")
    marker:write("done")
    marker:close()
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local first, last, total_non2xx, statuses, all_finished = nil, nil, 0, {}, true
  for _, thread in ipairs(threads) do
    local s, e = thread:get("t_start"), thread:get("t_last")
    if s and (not first or s < first) then first = s end
    if e and (not last or e > last) then last = e end
    if not thread:get("finished") then all_finished = false end
    total_non2xx = total_non2xx + (thread:get("non2xx") or 0)
    local bad = thread:get("bad_status") or 0
    if bad > 0 then table.insert(statuses, tostring(bad)) end
  end
  local seconds = (first and last) and (last - first) or summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    'BENCHJSON {"requests": %d, "seconds": %.4f, "bytes": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, ' ..
    '"max_us": %d, "non2xx": %d, "bad_statuses": "%s", "connect": %d, "read": %d, "write": %d, ' ..
    '"timeout": %d, "complete": %s}\n',
    summary.requests, seconds, summary.bytes, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, total_non2xx, table.concat(statuses, ","), e.connect, e.read, e.write,
    e.timeout, tostring(all_finished)))
end
