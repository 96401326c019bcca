-- Dépôt par l'API sous charge : chaque connexion crée un brouillon (POST /api/v1/signalements/), puis le dépose
-- (POST …/depot/) dès que l'identifiant revient. Une clé d'idempotence neuve par requête. BENCH_BODY : le corps JSON.
-- Avec wrk -t1, toutes les connexions partagent cet état Lua (une seule file d'identifiants).

local body = os.getenv("BENCH_BODY") or "{}"
local pending = {}
local counter = 0
submitted = 0
created = 0
failed = 0

local function headers()
  counter = counter + 1
  local result = {}
  for name, value in pairs(wrk.headers) do
    result[name] = value
  end
  result["Content-Type"] = "application/json"
  result["Idempotency-Key"] = string.format("banc-%d-%d-%d", os.time(), math.random(1, 1000000000), counter)
  return result
end

request = function()
  local id = table.remove(pending)
  if id then
    return wrk.format("POST", "/api/v1/signalements/" .. id .. "/depot/", headers(), "")
  end
  return wrk.format("POST", "/api/v1/signalements/", headers(), body)
end

response = function(status, response_headers, response_body)
  if status == 201 then
    local id = string.match(response_body, '"id"%s*:%s*"([0-9a-f%-]+)"')
    if id then
      created = created + 1
      table.insert(pending, id)
    end
  elseif status == 200 then
    submitted = submitted + 1
  else
    failed = failed + 1
    if failed <= 3 then
      io.stderr:write("intake.lua : réponse " .. status .. " : " .. string.sub(response_body, 1, 300) .. "\n")
    end
  end
end

local threads = {}

setup = function(thread)
  table.insert(threads, thread)
end

done = function(summary, latency, requests)
  local totals = {created = 0, submitted = 0, failed = 0}
  for _, thread in ipairs(threads) do
    for name, _ in pairs(totals) do
      totals[name] = totals[name] + thread:get(name)
    end
  end
  local errors = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "socket_errors": %d, "non_2xx_3xx": %d, ' ..
    '"p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d, "created": %d, "submitted": %d, "failed": %d}\n',
    summary.requests, summary.duration, errors.connect + errors.read + errors.write + errors.timeout,
    errors.status, latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    totals.created, totals.submitted, totals.failed))
end
