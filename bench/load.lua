-- wrk script for the benchmark: requests back to back until the window closes, then every request
-- already sent is waited for, so each response the server gives is counted with its status.
-- Environment: BENCH_UNTIL (epoch seconds: no request starts after it), BENCH_METHOD, BENCH_PATH,
-- BENCH_BODY (a file), BENCH_UNIQUE (a token in the body replaced by a string of its own on every
-- request), BENCH_TAG (this window's part of that string), BENCH_IDENTITIES (a file:
-- "cookie<TAB>csrf<TAB>path" per line), BENCH_OFFSET (where in that list to start), BENCH_THREADS,
-- BENCH_HTMX, BENCH_ORIGIN, BENCH_MARKERS (a folder).
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
  thread_total = tonumber(os.getenv("BENCH_THREADS"))
  until_time = tonumber(os.getenv("BENCH_UNTIL"))
  sent, completed, finished, started = 0, 0, false, false
  statuses = {}
  method = os.getenv("BENCH_METHOD") or "GET"
  body = nil
  if (os.getenv("BENCH_BODY") or "") ~= "" then body = read(os.getenv("BENCH_BODY")) end
  unique = os.getenv("BENCH_UNIQUE") or ""
  if unique == "" or not body or not body:find(unique, 1, true) then unique = nil end
  tag = (os.getenv("BENCH_TAG") or "") .. "w" .. tid .. "n"
  local base = { ["X-Forwarded-Proto"] = "https", ["Accept-Encoding"] = "gzip, br" }
  if body then base["Content-Type"] = "application/x-www-form-urlencoded" end
  if os.getenv("BENCH_HTMX") == "1" then base["HX-Request"] = "true" end
  variants = {}
  local identities = os.getenv("BENCH_IDENTITIES") or ""
  if identities ~= "" then
    for line in io.lines(identities) do
      local cookie, csrf, path = line:match("^([^\t]*)\t([^\t]*)\t(.*)$")
      local headers = {}
      for k, v in pairs(base) do headers[k] = v end
      headers["Cookie"] = cookie
      if method == "POST" then
        headers["X-CSRFToken"] = csrf
        headers["Origin"] = os.getenv("BENCH_ORIGIN")
      end
      table.insert(variants, { path = path, headers = headers })
    end
  else
    table.insert(variants, { path = os.getenv("BENCH_PATH"), headers = base })
  end
  -- Requests whose body never changes are formatted once.
  requests = {}
  if not unique then
    for i, v in ipairs(variants) do requests[i] = wrk.format(method, v.path, v.headers, body) end
  end
  -- The threads take turns through the class from BENCH_OFFSET: thread t sends to the people at
  -- offset + t, offset + t + threads, offset + t + 2 x threads... (a thread's connections share its
  -- Lua state, so its place in the turns), so nobody is asked twice before everyone has been once.
  position = tonumber(os.getenv("BENCH_OFFSET") or "0") + tid
end

-- The thread is done: a marker file tells the harness (wrk's main thread sleeps for the whole -d).
local function finish()
  if not finished then
    finished = true
    local marker = io.open(os.getenv("BENCH_MARKERS") .. "/" .. tid, "w")
    marker:write("done")
    marker:close()
    wrk.thread:stop()
  end
end

-- Called before each request (so wrk sends every one through it). Once the window has closed a
-- connection sends nothing more (it waits an hour); the thread stops when the last request it sent
-- has been answered.
function delay()
  started = true
  if now() >= until_time then
    if completed >= sent then finish() end
    return 3600000
  end
  return 0
end

function request()
  -- wrk calls request() once on the first thread before anything runs, to check it: not a request sent.
  if not started then return wrk.format(method, variants[1].path, variants[1].headers, body) end
  if not t_start then t_start = now() end
  sent = sent + 1
  local index = position % #variants + 1
  position = position + thread_total
  if not unique then return requests[index] end
  local v = variants[index]
  return wrk.format(method, v.path, v.headers, (body:gsub(unique, tag .. sent)))
end

function response(status, headers, body)
  completed = completed + 1
  t_last = now()
  statuses[status] = (statuses[status] or 0) + 1
  if completed >= sent and t_last >= until_time then finish() end
end

function done(summary, latency, requests)
  local first, last, all_finished, sent_total, by_status = nil, nil, true, 0, {}
  for _, thread in ipairs(threads) do
    local s, e = thread:get("t_start"), thread:get("t_last")
    if s and (not first or s < first) then first = s end
    if e and (not last or e > last) then last = e end
    if not thread:get("finished") then all_finished = false end
    sent_total = sent_total + (thread:get("sent") or 0)
    for status, n in pairs(thread:get("statuses") or {}) do
      by_status[status] = (by_status[status] or 0) + n
    end
  end
  local per_thread = {}
  for _, thread in ipairs(threads) do
    table.insert(per_thread, string.format("[%d, %d]", thread:get("sent") or 0, thread:get("completed") or 0))
  end
  local parts = {}
  for status, n in pairs(by_status) do table.insert(parts, string.format('"%d": %d', status, n)) end
  local seconds = (first and last) and (last - first) or summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    'BENCHJSON {"requests": %d, "sent": %d, "seconds": %.4f, "bytes": %d, "p50_us": %d, "p90_us": %d, ' ..
    '"p99_us": %d, "max_us": %d, "statuses": {%s}, "connect": %d, "read": %d, "write": %d, ' ..
    '"timeout": %d, "complete": %s, "threads": [%s]}\n',
    summary.requests, sent_total, seconds, summary.bytes, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, table.concat(parts, ", "), e.connect, e.read, e.write, e.timeout,
    tostring(all_finished), table.concat(per_thread, ", ")))
end
