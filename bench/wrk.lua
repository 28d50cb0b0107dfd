-- wrk's script for the patient POSTs. Each request is the next line of a file the benchmark
-- wrote, "path<TAB>form body", every line a different form (its own submission key, or the
-- link of another patient), so no request is a resubmission of another. The threads share
-- the lines out between them; a thread that runs out starts again from its first line and
-- says so, as the repeated forms would no longer write what the rest do.
--
-- wrk -s bench/wrk.lua URL -- LINES COOKIE THREADS

local threads = {}
local lines, position = {}, 1
wrapped = 0

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  local file, cookie, count = args[1], args[2], tonumber(args[3])
  local number = 0
  for line in io.lines(file) do
    if number % count == id then
      local tab = line:find("\t", 1, true)
      lines[#lines + 1] = { line:sub(1, tab - 1), line:sub(tab + 1) }
    end
    number = number + 1
  end
  headers = { ["Content-Type"] = "application/x-www-form-urlencoded" }
  if cookie ~= "-" then headers["Cookie"] = cookie end
end

function request()
  local line = lines[position]
  position = position + 1
  if position > #lines then
    position = 1
    wrapped = wrapped + 1
  end
  return wrk.format("POST", line[1], headers, line[2])
end

function done(summary, latency, requests)
  local wraps = 0
  for _, thread in ipairs(threads) do wraps = wraps + thread:get("wrapped") end
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %.6f, "p50_ms": %.3f, "p99_ms": %.3f, "errors": %d, ' ..
    '"wrapped": %d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, e.connect + e.read + e.write + e.status + e.timeout, wraps))
end
