-- Rapport de wrk en une ligne JSON (débit, centiles en microsecondes, erreurs), lu par benchmarks/bench_http.py.
-- BENCH_PATHS : chemins séparés par des espaces, pris à tour de rôle (plusieurs dossiers, pages suivantes...).

local paths = {}
for path in string.gmatch(os.getenv("BENCH_PATHS") or "", "%S+") do
  table.insert(paths, path)
end
local index = 0

request = function()
  if #paths == 0 then
    return wrk.format(nil, nil)
  end
  index = index % #paths + 1
  return wrk.format(nil, paths[index])
end

done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "socket_errors": %d, "non_2xx_3xx": %d, ' ..
    '"p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, errors.connect + errors.read + errors.write + errors.timeout,
    errors.status, latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
